import AlphaPostgres
import AlphaTesting
import Foundation
import Logging
import PostgresNIO
import Testing

/// Against a real PostgreSQL: one fresh database for the suite, one schema per test.
@Suite("Migration runner against PostgreSQL")
struct MigrationRunnerTests {
    static let database = Task { try await TestPostgres.createDatabase() }
    static let logger = Logger(label: "alpha-test-migrations") { _ in SwiftLogNoOpLogHandler() }

    let schema = "m_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()

    static let base = [
        Migration(version: 1, name: "create_accounts", sql: "CREATE TABLE accounts (username text PRIMARY KEY);"),
        Migration(
            version: 2,
            name: "create_follows",
            sql: """
                CREATE TABLE follows (follower text NOT NULL, followee text NOT NULL);
                CREATE FUNCTION follow_count(name text) RETURNS bigint AS $$
                    SELECT count(*) FROM follows WHERE followee = name;
                $$ LANGUAGE sql;
                """
        ),
    ]

    func runner(_ migrations: [Migration]) -> MigrationRunner {
        MigrationRunner(schema: schema, migrations: migrations, logger: Self.logger)
    }

    /// Runs `body` with a short-lived client on this test's schema.
    func withClient(_ body: @Sendable (PostgresClient) async throws -> Void) async throws {
        let settings = try await Self.database.value.settings(schema: schema, poolSize: 4)
        try await withPostgresClient(settings.clientConfiguration, logger: Self.logger, body)
    }

    func tables(_ client: PostgresClient) async throws -> [String] {
        let rows = try await client.query(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = \(schema) ORDER BY 1",
            logger: Self.logger
        )
        var names: [String] = []
        for try await name in rows.decode(String.self) { names.append(name) }
        return names
    }

    func recorded(_ client: PostgresClient) async throws -> [(version: Int, name: String, checksum: String)] {
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: "SELECT version, name, checksum FROM \(schema).schema_migrations ORDER BY version"),
            logger: Self.logger
        )
        var result: [(Int, String, String)] = []
        for try await row in rows.decode((Int, String, String).self) { result.append(row) }
        return result
    }

    @Test("a fresh schema gets every migration, its tables, and a checksum record per migration")
    func freshApply() async throws {
        try await withClient { client in
            let applied = try await runner(Self.base).run(on: client)
            #expect(applied == [1, 2])
            #expect(try await tables(client) == ["accounts", "follows", "schema_migrations"])
            let records = try await recorded(client)
            #expect(records.map(\.version) == [1, 2])
            #expect(records.map(\.name) == ["create_accounts", "create_follows"])
            #expect(records.map(\.checksum) == Self.base.map(\.checksum))
            // The function body with its `;` was applied whole, in the schema.
            let rows = try await client.query("SELECT follow_count('alice')", logger: Self.logger)
            for try await count in rows.decode(Int.self) { #expect(count == 0) }
        }
    }

    @Test("a second run applies nothing and leaves the records alone")
    func rerunIsNoOp() async throws {
        try await withClient { client in
            try await runner(Self.base).run(on: client)
            let before = try await recorded(client)
            let applied = try await runner(Self.base).run(on: client)
            #expect(applied.isEmpty)
            let after = try await recorded(client)
            #expect(after.map(\.version) == before.map(\.version))
            #expect(after.map(\.checksum) == before.map(\.checksum))
        }
    }

    @Test("a new migration added later is the only one applied")
    func appliesOnlyPending() async throws {
        try await withClient { client in
            try await runner(Self.base).run(on: client)
            let third = Migration(version: 3, name: "add_bio", sql: "ALTER TABLE accounts ADD COLUMN bio text;")
            #expect(try await runner(Self.base + [third]).run(on: client) == [3])
            #expect(try await recorded(client).map(\.version) == [1, 2, 3])
        }
    }

    @Test("runners started at the same moment apply each migration exactly once")
    func concurrentRunners() async throws {
        let migrations = [
            Migration(
                version: 1,
                name: "create_starts",
                // Slow and not idempotent: a second application would fail or insert twice.
                sql: "SELECT pg_sleep(0.3); CREATE TABLE starts (n int); INSERT INTO starts VALUES (1);"
            ),
            Migration(version: 2, name: "create_more", sql: "CREATE TABLE more (n int);"),
            Migration(version: 3, name: "fill_more", sql: "INSERT INTO more SELECT n FROM starts;"),
        ]
        let settings = try await Self.database.value.settings(schema: schema, poolSize: 1)
        let replicas = 4
        // Each "replica" has its own client, as separate processes would.
        let appliedByEach = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<replicas {
                group.addTask {
                    try await withPostgresClient(settings.clientConfiguration, logger: Self.logger) { client in
                        try await runner(migrations).run(on: client)
                    }
                }
            }
            return try await group.reduce(into: [[Int]]()) { $0.append($1) }
        }
        #expect(appliedByEach.count == replicas)
        #expect(appliedByEach.flatMap { $0 }.sorted() == [1, 2, 3])
        try await withClient { client in
            #expect(try await recorded(client).map(\.version) == [1, 2, 3])
            let rows = try await client.query("SELECT count(*) FROM more", logger: Self.logger)
            for try await count in rows.decode(Int.self) { #expect(count == 1) }
        }
    }

    @Test("an applied migration whose file was edited stops the run, and applies nothing after it")
    func editedAfterApply() async throws {
        try await withClient { client in
            try await runner([Self.base[0]]).run(on: client)
            var edited = Self.base
            edited[0].sql = "CREATE TABLE accounts (username text PRIMARY KEY, email text);"
            let error = await #expect(throws: MigrationError.self) { try await runner(edited).run(on: client) }
            #expect(error == .editedAfterApply(version: 1, name: "create_accounts"))
            #expect(try await recorded(client).map(\.version) == [1])
            // The advisory lock was released: the unedited files still run.
            #expect(try await runner(Self.base).run(on: client) == [2])
        }
    }

    @Test("a database with a migration this build does not know is refused")
    func unknownAppliedVersion() async throws {
        try await withClient { client in
            try await runner(Self.base).run(on: client)
            let error = await #expect(throws: MigrationError.self) { try await runner([Self.base[0]]).run(on: client) }
            #expect(error == .unknownAppliedVersion(2))
        }
    }

    @Test("a failing migration is rolled back whole, recorded nowhere, and can be fixed and re-run")
    func failingMigrationRollsBack() async throws {
        try await withClient { client async throws in
            let broken = Migration(
                version: 2,
                name: "half_broken",
                sql: "CREATE TABLE half (n int); INSERT INTO no_such_table VALUES (1);"
            )
            await #expect(throws: PSQLError.self) { try await runner([Self.base[0], broken]).run(on: client) }
            #expect(try await recorded(client).map(\.version) == [1])
            #expect(try await tables(client) == ["accounts", "schema_migrations"])
            let fixed = Migration(version: 2, name: "half_fixed", sql: "CREATE TABLE half (n int);")
            #expect(try await runner([Self.base[0], fixed]).run(on: client) == [2])
            #expect(try await tables(client) == ["accounts", "half", "schema_migrations"])
        }
    }
}
