import Foundation
import PostgresNIO

/// The SQL of the global and hashtag feed pages, in one place so tests and `docs/performance.md` can
/// `EXPLAIN` exactly what the service runs (the personal feed is one statement of its own,
/// ``PersonalFeedStatement``).
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
        }
    }
}
