import AlphaPostgres
import AlphaTesting
import Foundation
import Logging
import PostService
import PostgresNIO
import Testing

/// The feed queries stay on their indexes at scale: on 100 000 seeded posts (scripts/seed-posts.sql, the
/// seed script's own SQL) the plans of a personal-feed page (``PersonalFeedStatement``: the followees from
/// the follow copy, the total, the page and its posts in one statement), a hashtag page and a global page
/// contain no sequential scan and walk the indexes made for them. (Plans, not timings: speed lives in
/// benchmarks.)
@Suite("Feed query plans on 100k posts", .serialized)
struct FeedPlanTests {
    static let posts = 100_000
    static let users = 962

    @Test("personal, hashtag and global pages — first and later — are answered through indexes")
    func plans() async throws {
        var logger = Logger(label: "feed-plan-tests")
        logger.logLevel = .error
        try await TestPostgres.withDatabase(logger: logger) { database in
            do {
                try await checkPlans(on: database, logger: logger)
            } catch let error as PSQLError {
                Issue.record("\(String(reflecting: error))")  // the server's message, not the generic text
            }
        }
    }

    func checkPlans(on database: TestDatabase, logger: Logger) async throws {
        let settings = database.settings(schema: "post_service", poolSize: 1)
        try await withPostgresClient(settings.clientConfiguration, logger: logger) { client in
            try await MigrationRunner(schema: "post_service", migrations: PostServiceMigrations.all(), logger: logger)
                .run(on: client)
            try await client.withConnection { connection in
                // Seeding 100k posts takes longer than the kit's default statement timeout.
                try await connection.query("SET statement_timeout = 0", logger: logger)
                try await connection.query("SET seed.posts = '\(unescaped: String(Self.posts))'", logger: logger)
                try await connection.query("SET seed.users = '\(unescaped: String(Self.users))'", logger: logger)
                for statement in try Self.seedStatements() {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
            }
            let count = try await client.query("SELECT count(*) FROM posts", logger: logger).decode(Int.self)
            for try await total in count { #expect(total == Self.posts) }

            // A later page starts in the middle of the table.
            var middle: FeedQueries.Position?
            let rows = try await client.query(
                "SELECT created_at, post_id FROM posts ORDER BY created_at DESC, post_id DESC OFFSET 50000 LIMIT 1",
                logger: logger
            )
            for try await (createdAt, id) in rows.decode((Date, UUID).self) {
                middle = FeedQueries.Position(createdAt: createdAt, postID: id)
            }
            let positions = [FeedQueries.Position.start, try #require(middle)]
            // The follow copy as the bench has it: every user copied, u0 following 39 users.
            let followees = (1...39).map { "u\($0 * 24)" }
            try await client.query(
                """
                INSERT INTO follows (follower_name, followee_name, following, version)
                SELECT 'u' || i, 'u' || ((i + j * 24) % 962), true, 0
                FROM generate_series(0, 961) AS i, generate_series(1, 39) AS j
                """,
                logger: logger)
            try await client.query(
                "INSERT INTO follows_copied (follower_name) SELECT 'u' || i FROM generate_series(0, 961) AS i",
                logger: logger)
            try await client.query("ANALYZE follows", logger: logger)
            try await client.query("ANALYZE follows_copied", logger: logger)
            try await client.query("ANALYZE feed_activity", logger: logger)

            // The statement's total is the feed's count of distinct matching posts, counted the first
            // time and read from feed_totals the second.
            let expected = try await client.query(
                """
                SELECT count(*) FROM (
                    SELECT post_id FROM posts WHERE author_name = ANY(\(followees)::text[])
                    UNION SELECT post_id FROM likes WHERE username = ANY(\(followees)::text[])
                    UNION SELECT post_id FROM comments WHERE author_name = ANY(\(followees)::text[])
                ) matching
                """,
                logger: logger
            ).decode(Int.self)
            var expectedTotal = 0
            for try await total in expected { expectedTotal = total }
            for _ in 1...2 {
                let rows = try await client.execute(
                    PersonalFeedStatement(follower: "u0", cursor: nil, offset: 0, limit: 10), logger: logger)
                var page = 0
                for try await row in rows {
                    #expect(row.0 && row.1 == expectedTotal)
                    page += 1
                }
                #expect(page == 10)
            }
            // Stored: the liked/commented part; the followees' own posts come from author_post_counts.
            let stored = try await client.query(
                """
                SELECT (interactions + (SELECT sum(posts) FROM author_post_counts
                                         WHERE author_name = ANY(\(followees)::text[])))::bigint
                FROM feed_totals WHERE follower_name = 'u0'
                """,
                logger: logger
            ).decode(Int.self)
            for try await total in stored { #expect(total == expectedTotal) }

            // The plan a connection keeps after five executions is the generic one, and it stays on indexes.
            try await client.withConnection { connection in
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: "PREPARE personal_page(text, uuid, int, int) AS " + PersonalFeedStatement.sql),
                    logger: logger)
                for _ in 1...6 {
                    try await connection.query("EXECUTE personal_page('u0', NULL, 0, 10)", logger: logger)
                }
                var text = ""
                let explain = try await connection.query(
                    "EXPLAIN (FORMAT JSON) EXECUTE personal_page('u0', NULL, 0, 10)", logger: logger)
                for try await line in explain.decode(String.self) { text += line }
                #expect(!text.contains("'u0'") && text.contains("$1"), "not the generic plan: \(text)")
                #expect(!text.contains("Seq Scan"), "\(text)")
            }

            for position in positions {
                let cursor = position == .start ? nil : position.postID
                let personal = try await plan(
                    PersonalFeedStatement(follower: "u0", cursor: cursor, offset: 0, limit: 10), client, logger)
                #expect(personal.relationsScannedSequentially.isEmpty, "\(personal.text)")
                #expect(
                    Set([
                        "follows_pkey", "follows_copied_pkey", "feed_activity_pkey", "feed_totals_pkey",
                        "posts_author_feed_idx", "likes_user_feed_idx", "comments_author_feed_idx", "posts_pkey",
                    ])
                    .isSubset(of: personal.indexes), "\(personal.text)")

                let hashtag = try await plan(
                    FeedQueries.page(.hashtag("#topic7"), after: position, offset: 0, limit: 10), client, logger)
                #expect(hashtag.relationsScannedSequentially.isEmpty, "\(hashtag.text)")
                #expect(hashtag.indexes.contains("post_hashtags_feed_idx"), "\(hashtag.text)")
                #expect(hashtag.indexes.contains("hashtags_uq"), "\(hashtag.text)")

                let global = try await plan(
                    FeedQueries.page(.global, after: position, offset: 0, limit: 10), client, logger)
                #expect(global.relationsScannedSequentially.isEmpty, "\(global.text)")
                #expect(global.indexes.contains("posts_feed_idx"), "\(global.text)")
            }
        }
    }

    /// The seed SQL split into statements (each ends with ";" at a line's end; "--" lines dropped).
    static func seedStatements() throws -> [String] {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/seed-posts.sql")
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
        return lines.joined(separator: "\n").components(separatedBy: ";\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
            .map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }
    }

    struct Plan {
        var text: String
        var indexes: Set<String>
        var relationsScannedSequentially: Set<String>
    }

    /// `EXPLAIN (FORMAT JSON)` of `statement` with its real parameters.
    func plan(_ statement: PersonalFeedStatement, _ client: PostgresClient, _ logger: Logger) async throws -> Plan {
        try await plan(
            PostgresQuery(unsafeSQL: PersonalFeedStatement.sql, binds: try statement.makeBindings()), client, logger)
    }

    /// `EXPLAIN (FORMAT JSON)` of `query` with its real parameters, as a generic plan would run it.
    func plan(_ query: PostgresQuery, _ client: PostgresClient, _ logger: Logger) async throws -> Plan {
        let explain = PostgresQuery(unsafeSQL: "EXPLAIN (FORMAT JSON) " + query.sql, binds: query.binds)
        var text = ""
        for try await line in try await client.query(explain, logger: logger).decode(String.self) { text += line }
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8))
        var plan = Plan(text: text, indexes: [], relationsScannedSequentially: [])
        func walk(_ node: Any) {
            if let array = node as? [Any] { array.forEach(walk) }
            guard let object = node as? [String: Any] else { return }
            if let index = object["Index Name"] as? String { plan.indexes.insert(index) }
            if object["Node Type"] as? String == "Seq Scan", let relation = object["Relation Name"] as? String {
                plan.relationsScannedSequentially.insert(relation)
            }
            object.values.forEach(walk)
        }
        walk(json)
        return plan
    }
}
