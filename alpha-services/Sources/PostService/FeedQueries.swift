import Foundation
import PostgresNIO

/// The SQL of the feed pages, in one place so tests and `docs/performance.md` can `EXPLAIN` exactly what
/// the service runs.
///
/// Every feed is ordered by `(created_at DESC, post_id DESC)` (D27: the id breaks timestamp ties) and
/// continues strictly after a keyset position; the first page starts after ``Position/start``, past every
/// real post. Each query selects only the page's post ids; ``PostgresPostRepository`` then reads those posts.
public enum FeedQueries {
    /// A position in feed order: the page holds posts strictly after it.
    public struct Position: Sendable, Hashable {
        public var createdAt: Date
        public var postID: UUID

        public init(createdAt: Date, postID: UUID) {
            self.createdAt = createdAt
            self.postID = postID
        }

        /// Before every post (created_at in year 4001, the greatest id).
        public static let start = Position(
            createdAt: .distantFuture,
            postID: UUID(uuidString: "ffffffff-ffff-ffff-ffff-ffffffffffff")!
        )
    }

    /// Ids of one page of `filter`: `limit` posts after skipping `offset`, after `position`.
    public static func page(_ filter: FeedFilter, after position: Position, offset: Int, limit: Int) -> PostgresQuery {
        let (at, id) = (position.createdAt, position.postID)
        switch filter {
        case .global:
            return """
                SELECT post_id FROM posts
                WHERE (created_at, post_id) < (\(at), \(id))
                ORDER BY created_at DESC, post_id DESC OFFSET \(offset) LIMIT \(limit)
                """
        case .hashtag(let tag):
            return """
                SELECT post_id FROM post_hashtags
                WHERE hashtag_id = (SELECT hashtag_id FROM hashtags WHERE content = \(tag))
                  AND (post_created_at, post_id) < (\(at), \(id))
                ORDER BY post_created_at DESC, post_id DESC OFFSET \(offset) LIMIT \(limit)
                """
        case .personal(let followees):
            // Per followee, the newest `offset + limit` posts they wrote, liked or commented after the
            // position, each walked in feed order through its own index; then the page of their union.
            // The work is bounded by followees × page, never by the size of the tables.
            let window = offset + limit
            return """
                SELECT post_id FROM (
                    SELECT a.post_id, a.created_at
                    FROM unnest(\(followees)::text[]) AS f(name)
                    CROSS JOIN LATERAL (
                        SELECT post_id, created_at FROM posts
                        WHERE author_name = f.name AND (created_at, post_id) < (\(at), \(id))
                        ORDER BY created_at DESC, post_id DESC LIMIT \(window)
                    ) a
                    UNION
                    SELECT l.post_id, l.post_created_at
                    FROM unnest(\(followees)::text[]) AS f(name)
                    CROSS JOIN LATERAL (
                        SELECT post_id, post_created_at FROM likes
                        WHERE username = f.name AND (post_created_at, post_id) < (\(at), \(id))
                        ORDER BY post_created_at DESC, post_id DESC LIMIT \(window)
                    ) l
                    UNION
                    SELECT c.post_id, c.post_created_at
                    FROM unnest(\(followees)::text[]) AS f(name)
                    CROSS JOIN LATERAL (
                        SELECT DISTINCT post_created_at, post_id FROM comments
                        WHERE author_name = f.name AND (post_created_at, post_id) < (\(at), \(id))
                        ORDER BY post_created_at DESC, post_id DESC LIMIT \(window)
                    ) c
                ) candidates
                ORDER BY created_at DESC, post_id DESC OFFSET \(offset) LIMIT \(limit)
                """
        }
    }

    /// The number of posts `filter` matches, ignoring any cursor.
    public static func total(_ filter: FeedFilter) -> PostgresQuery {
        switch filter {
        case .global:
            // Kept per author by the posts_counted trigger: a sum over authors, not a scan of the posts.
            return "SELECT coalesce(sum(posts), 0)::bigint FROM author_post_counts"
        case .hashtag(let tag):
            return """
                SELECT count(*) FROM post_hashtags
                WHERE hashtag_id = (SELECT hashtag_id FROM hashtags WHERE content = \(tag))
                """
        case .personal(let followees):
            return """
                SELECT count(*) FROM (
                    SELECT post_id FROM posts WHERE author_name = ANY(\(followees)::text[])
                    UNION SELECT post_id FROM likes WHERE username = ANY(\(followees)::text[])
                    UNION SELECT post_id FROM comments WHERE author_name = ANY(\(followees)::text[])
                ) matching
                """
        }
    }
}
