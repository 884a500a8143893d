import AlphaDomain
import Foundation

/// Storage of posts, likes, comments and hashtags. The real implementation is ``PostgresPostRepository``.
public protocol PostRepository: Sendable {
    /// Stores `post` with its hashtag links in one transaction (for a repost, together with the repost
    /// notification, see ``RepostNotifier``).
    func create(_ post: NewPost) async throws -> PostCreation

    /// Deletes `id` if `author` wrote it, with its likes, comments and hashtag links.
    func delete(_ id: UUID, author: String) async throws -> PostDeletion

    /// The post `id` as `viewer` sees it.
    func post(_ id: UUID, viewer: String?) async throws -> PostRecord?

    /// A page of `filter`'s posts, newest first (created_at, then post id), after `cursor`.
    func feed(_ filter: FeedFilter, cursor: CursorPage.Cursor, limit: Int, viewer: String?) async throws -> PostPage

    /// A page of `follower`'s personal feed (§6.2: posts authored, liked or commented by the users they
    /// follow, each once, newest first) after `cursor`, from the post service's copy of the follow graph;
    /// `nil` when `follower`'s followees were never copied there (``FollowReplica``).
    func personalFeed(of follower: String, cursor: CursorPage.Cursor, limit: Int) async throws -> PostPage?

    /// A page of `author`'s posts, newest first, with the author's total.
    func posts(of author: String, offset: Int, limit: Int, viewer: String?) async throws -> PostPage

    /// Number of posts `author` wrote (reposts included).
    func count(of author: String) async throws -> Int

    func like(_ postID: UUID, by username: String, at date: Date) async throws -> LikeOutcome

    /// `false` when `username` had no like on it (also for an unknown post, D21).
    func unlike(_ postID: UUID, by username: String) async throws -> Bool

    /// Stores `comment`; `false` when its post does not exist.
    func addComment(_ comment: CommentRecord) async throws -> Bool

    /// Newest first with the post's total; `nil` when the post does not exist.
    func comments(of postID: UUID, offset: Int, limit: Int) async throws -> (comments: [CommentRecord], total: Int)?
}
