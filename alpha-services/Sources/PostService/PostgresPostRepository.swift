import AlphaDomain
import AlphaOutbox
import Foundation
import ImageOutbox
import Logging
import PostgresNIO

/// ``PostRepository`` on the `post_service` schema (see `Migrations/`; feed SQL in ``FeedQueries``).
///
/// A post's picture commit and deletion go into the schema's outbox in the post's own transaction
/// (``PictureChanges``): the post's save is the picture's commit point.
public struct PostgresPostRepository: PostRepository {
    private let client: PostgresClient
    private let notifier: any RepostNotifier
    private let outbox: Outbox
    private let logger: Logger

    public init(
        client: PostgresClient, notifier: any RepostNotifier = NoRepostNotifications(), outbox: Outbox = Outbox(),
        logger: Logger
    ) {
        self.client = client
        self.notifier = notifier
        self.outbox = outbox
        self.logger = logger
    }

    // MARK: - E16 create

    public func create(_ post: NewPost) async throws -> PostCreation {
        let outcome = try await client.withTransaction(logger: logger) { connection -> PostCreation in
            var originalAuthor: String?
            if let original = post.repostOf {
                // Shares the row lock with a concurrent delete of the original: either the repost sees it
                // or the delete happened first (and the repost is refused).
                let rows = try await connection.query(
                    "SELECT author_name FROM posts WHERE post_id = \(original) FOR SHARE",
                    logger: logger
                )
                for try await author in rows.decode(String.self) { originalAuthor = author }
                guard originalAuthor != nil else { return .originalNotFound }
            }
            try await connection.query(
                """
                INSERT INTO posts (post_id, author_name, content, created_at, latitude, longitude, accuracy,
                                   picture_url, picture_width, picture_height, repost_post_id)
                VALUES (\(post.id), \(post.author), \(post.content), \(post.createdAt),
                        \(post.location?.latitude), \(post.location?.longitude), \(post.location?.accuracy),
                        \(post.picture?.url), \(post.picture?.width), \(post.picture?.height), \(post.repostOf))
                """,
                logger: logger
            )
            if !post.hashtags.isEmpty {
                // New tags get a fresh id; existing ones keep theirs (tags are shared across posts).
                let newIDs = post.hashtags.map { _ in UUID() }
                try await connection.query(
                    """
                    INSERT INTO hashtags (hashtag_id, content)
                    SELECT * FROM unnest(\(newIDs)::uuid[], \(post.hashtags)::text[])
                    ON CONFLICT (content) DO NOTHING
                    """,
                    logger: logger
                )
                try await connection.query(
                    """
                    INSERT INTO post_hashtags (hashtag_id, post_id, post_created_at)
                    SELECT hashtag_id, \(post.id), \(post.createdAt) FROM hashtags
                    WHERE content = ANY(\(post.hashtags)::text[])
                    """,
                    logger: logger
                )
            }
            if let uploadID = post.pictureUploadID {
                try await PictureChanges.enqueueCommit(
                    uploadID: uploadID, kind: .post, owner: post.id.uuidString.lowercased(),
                    version: PostPictureVersion.created, outbox: outbox, on: connection, logger: logger)
            }
            if let originalAuthor, originalAuthor != post.author {
                try await notifier.repostCreated(
                    recipient: originalAuthor, reposter: post.author, repostID: post.id,
                    on: connection, logger: logger
                )
            }
            return .created(originalAuthor: originalAuthor)
        }
        return outcome
    }

    // MARK: - E17 delete

    public func delete(_ id: UUID, author: String) async throws -> PostDeletion {
        // Likes, comments and hashtag links go with it (ON DELETE CASCADE); reposts keep their row. The
        // picture's deletion goes into the outbox with it (D44).
        let deleted = try await client.withTransaction(logger: logger) { connection -> PostDeletion? in
            let rows = try await connection.query(
                "DELETE FROM posts WHERE post_id = \(id) AND author_name = \(author) RETURNING picture_url IS NOT NULL",
                logger: logger
            )
            var hadPicture: Bool?
            for try await row in rows.decode(Bool.self) { hadPicture = row }
            guard let hadPicture else { return nil }
            if hadPicture {
                try await PictureChanges.enqueueDelete(
                    kind: .post, owner: id.uuidString.lowercased(), version: PostPictureVersion.deleted,
                    outbox: outbox, on: connection, logger: logger)
            }
            return .deleted(hadPicture: hadPicture)
        }
        if let deleted { return deleted }
        let existing = try await client.query("SELECT 1 FROM posts WHERE post_id = \(id)", logger: logger).collect()
        return existing.isEmpty ? .notFound : .notAuthor
    }

    /// Removes the picture from `postID` — its upload was gone before its commit (``PictureChangeDelivery``)
    /// — so that the post never shows a URL that answers 404; `false` when the post has none (or is gone).
    public func dropMissingPicture(of postID: UUID) async throws -> Bool {
        let rows = try await client.query(
            """
            UPDATE posts SET picture_url = NULL, picture_width = NULL, picture_height = NULL
            WHERE post_id = \(postID) AND picture_url IS NOT NULL
            RETURNING 1
            """,
            logger: logger
        ).collect()
        if !rows.isEmpty {
            logger.error(
                "post picture upload lost before its commit; post left without picture",
                metadata: ["post_id": "\(postID)"])
        }
        return !rows.isEmpty
    }

    // MARK: - Reading posts

    public func post(_ id: UUID, viewer: String?) async throws -> PostRecord? {
        try await posts(withIDs: [id], viewer: viewer).first
    }

    public func feed(_ filter: FeedFilter, cursor: CursorPage.Cursor, limit: Int, viewer: String?) async throws
        -> PostPage
    {
        let total = try await count(FeedQueries.total(filter))
        var position = FeedQueries.Position.start
        var offset = 0
        switch cursor {
        case .start: break
        case .offset(let skipped): offset = skipped
        case .malformed: return PostPage(posts: [], total: total)
        case .after(let rawID):
            // An unknown cursor post is an empty page (§1.5).
            guard let id = UUID(uuidString: rawID), let createdAt = try await creationDate(of: id) else {
                return PostPage(posts: [], total: total)
            }
            position = FeedQueries.Position(createdAt: createdAt, postID: id)
        }
        guard limit > 0, offset < total else { return PostPage(posts: [], total: total) }
        let ids = try await postIDs(FeedQueries.page(filter, after: position, offset: offset, limit: limit))
        return PostPage(posts: try await posts(withIDs: ids, viewer: viewer), total: total)
    }

    public func personalFeed(of follower: String, cursor: CursorPage.Cursor, limit: Int) async throws -> PostPage? {
        var statement = PersonalFeedStatement(follower: follower, cursor: nil, offset: 0, limit: limit)
        switch cursor {
        case .start: break
        case .offset(let skipped): statement.offset = skipped
        case .malformed: statement.limit = 0
        case .after(let rawID):
            // An unknown cursor post is an empty page (§1.5): the statement finds no position for it.
            if let id = UUID(uuidString: rawID) { statement.cursor = id } else { statement.limit = 0 }
        }
        var copied = false
        var total = 0
        var posts: [PostRecord] = []
        for try await row in try await client.execute(statement, logger: logger) {
            copied = row.0
            total = row.1
            let values: PostRow.Values = (
                row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11, row.12, row.13, row.14,
                row.15, row.16, row.17, row.18, row.19, row.20, row.21, row.22, row.23
            )
            if let post = PostRow.record(values) { posts.append(post) }
        }
        return copied ? PostPage(posts: posts, total: total) : nil
    }

    public func posts(of author: String, offset: Int, limit: Int, viewer: String?) async throws -> PostPage {
        let total = try await count(of: author)
        guard offset < total, limit > 0 else { return PostPage(posts: [], total: total) }
        let ids = try await postIDs(
            """
            SELECT post_id FROM posts WHERE author_name = \(author)
            ORDER BY created_at DESC, post_id DESC OFFSET \(offset) LIMIT \(limit)
            """
        )
        return PostPage(posts: try await posts(withIDs: ids, viewer: viewer), total: total)
    }

    public func count(of author: String) async throws -> Int {
        try await count("SELECT coalesce((SELECT posts FROM author_post_counts WHERE author_name = \(author)), 0)")
    }

    private func creationDate(of id: UUID) async throws -> Date? {
        let rows = try await client.query("SELECT created_at FROM posts WHERE post_id = \(id)", logger: logger)
        for try await date in rows.decode(Date.self) { return date }
        return nil
    }

    private func count(_ query: PostgresQuery) async throws -> Int {
        for try await count in try await client.query(query, logger: logger).decode(Int.self) { return count }
        return 0
    }

    private func postIDs(_ query: PostgresQuery) async throws -> [UUID] {
        var ids: [UUID] = []
        for try await id in try await client.query(query, logger: logger).decode(UUID.self) { ids.append(id) }
        return ids
    }

    /// The posts `ids` with their counters, `viewer`'s like and their originals, in the order of `ids`.
    private func posts(withIDs ids: [UUID], viewer: String?) async throws -> [PostRecord] {
        guard !ids.isEmpty else { return [] }
        let rows = try await client.query(
            """
            SELECT p.post_id, p.author_name, p.content, p.created_at, p.latitude, p.longitude, p.accuracy,
                   p.picture_url, p.picture_width, p.picture_height,
                   (SELECT count(*) FROM likes l WHERE l.post_id = p.post_id),
                   (SELECT count(*) FROM comments c WHERE c.post_id = p.post_id),
                   EXISTS (SELECT 1 FROM likes l WHERE l.post_id = p.post_id AND l.username = \(viewer ?? "")),
                   o.author_name, o.content, o.created_at, o.latitude, o.longitude, o.accuracy,
                   o.picture_url, o.picture_width, o.picture_height
            FROM posts p LEFT JOIN posts o ON o.post_id = p.repost_post_id
            WHERE p.post_id = ANY(\(ids)::uuid[])
            """,
            logger: logger
        )
        var byID: [UUID: PostRecord] = [:]
        for try await row in rows.decode(PostRow.Values.self) {
            if let record = PostRow.record(row) { byID[record.id] = record }
        }
        // A post deleted between choosing the page and reading it is left out.
        return ids.compactMap { byID[$0] }
    }

    // MARK: - E21/E22 likes

    public func like(_ postID: UUID, by username: String, at date: Date) async throws -> LikeOutcome {
        do {
            let inserted = try await client.query(
                """
                INSERT INTO likes (post_id, username, liked_at, post_created_at)
                SELECT post_id, \(username), \(date), created_at FROM posts WHERE post_id = \(postID)
                ON CONFLICT (post_id, username) DO NOTHING RETURNING 1
                """,
                logger: logger
            ).collect()
            if !inserted.isEmpty { return .liked }
        } catch let error where Self.isForeignKeyViolation(error) {
            return .postNotFound  // deleted concurrently
        }
        let existing = try await client.query("SELECT 1 FROM posts WHERE post_id = \(postID)", logger: logger).collect()
        return existing.isEmpty ? .postNotFound : .alreadyLiked
    }

    public func unlike(_ postID: UUID, by username: String) async throws -> Bool {
        let deleted = try await client.query(
            "DELETE FROM likes WHERE post_id = \(postID) AND username = \(username) RETURNING 1",
            logger: logger
        ).collect()
        return !deleted.isEmpty
    }

    // MARK: - E23/E24 comments

    public func addComment(_ comment: CommentRecord) async throws -> Bool {
        do {
            let inserted = try await client.query(
                """
                INSERT INTO comments (comment_id, post_id, author_name, content, created_at, post_created_at)
                SELECT \(comment.id), post_id, \(comment.author), \(comment.content), \(comment.createdAt), created_at
                FROM posts WHERE post_id = \(comment.postID)
                RETURNING 1
                """,
                logger: logger
            ).collect()
            return !inserted.isEmpty
        } catch let error where Self.isForeignKeyViolation(error) {
            return false  // the post was deleted concurrently
        }
    }

    public func comments(of postID: UUID, offset: Int, limit: Int) async throws -> (
        comments: [CommentRecord], total: Int
    )? {
        let totals = try await client.query(
            "SELECT (SELECT count(*) FROM comments WHERE post_id = p.post_id) FROM posts p WHERE p.post_id = \(postID)",
            logger: logger
        )
        var total: Int?
        for try await count in totals.decode(Int.self) { total = count }
        guard let total else { return nil }
        guard offset < total, limit > 0 else { return ([], total) }
        let rows = try await client.query(
            """
            SELECT comment_id, author_name, content, created_at FROM comments WHERE post_id = \(postID)
            ORDER BY created_at DESC, comment_id DESC OFFSET \(offset) LIMIT \(limit)
            """,
            logger: logger
        )
        var comments: [CommentRecord] = []
        for try await (id, author, content, createdAt) in rows.decode((UUID, String, String, Date).self) {
            comments.append(
                CommentRecord(id: id, postID: postID, author: author, content: content, createdAt: createdAt))
        }
        return (comments, total)
    }

    private static func isForeignKeyViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23503"
    }
}
