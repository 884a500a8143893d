import AlphaDomain
import Foundation

/// A stored post picture: what the image service answered for `<postId>.<ext>`.
public struct PostPicture: Sendable, Hashable {
    public var url: String
    public var width: Int32
    public var height: Int32

    public init(url: String, width: Int32, height: Int32) {
        self.url = url
        self.width = width
        self.height = height
    }
}

/// A post picture stored pending in the image service (E16): served once committed.
public struct PostPictureUpload: Sendable, Hashable {
    public var picture: PostPicture
    /// The image service's upload id (lowercase UUID).
    public var uploadID: String

    public init(picture: PostPicture, uploadID: String) {
        self.picture = picture
        self.uploadID = uploadID
    }
}

/// The picture versions of a post (CommitImageRequest/DeleteImagesRequest `owner_version`): a post's one
/// picture is committed as version 1 and deleted with the post as version 2, so a commit that arrives
/// after the deletion is stale and cannot leave an orphan.
public enum PostPictureVersion {
    public static let created: Int64 = 1
    public static let deleted: Int64 = 2
}

/// A post to store (E16).
public struct NewPost: Sendable, Hashable {
    public var id: UUID
    public var author: String
    public var content: String
    public var createdAt: Date
    public var location: GeoLocation?
    public var picture: PostPicture?
    /// The image service's pending upload of `picture`: its commit goes into the outbox with the post.
    public var pictureUploadID: String?
    public var repostOf: UUID?
    /// Lower-case tags with `#`, each once (``Hashtags/extract(from:)``).
    public var hashtags: [String]

    public init(
        id: UUID, author: String, content: String, createdAt: Date, location: GeoLocation?,
        picture: PostPicture?, pictureUploadID: String? = nil, repostOf: UUID?, hashtags: [String]
    ) {
        self.pictureUploadID = pictureUploadID
        self.id = id
        self.author = author
        self.content = content
        self.createdAt = createdAt
        self.location = location
        self.picture = picture
        self.repostOf = repostOf
        self.hashtags = hashtags
    }
}

/// The original of a repost as feeds show it (§1.6 Repost).
public struct OriginalPost: Sendable, Hashable {
    public var author: String
    public var content: String
    public var createdAt: Date
    public var location: GeoLocation?
    public var picture: PostPicture?
}

/// A stored post with its counters as one viewer sees it.
public struct PostRecord: Sendable, Hashable {
    public var id: UUID
    public var author: String
    public var content: String
    public var createdAt: Date
    public var location: GeoLocation?
    public var picture: PostPicture?
    public var likes: Int
    public var comments: Int
    /// Whether the viewer has liked it (`false` without a viewer).
    public var liked: Bool
    /// The reposted original, `nil` when this is no repost or the original was deleted.
    public var original: OriginalPost?
}

/// What creating a post found.
public enum PostCreation: Sendable, Hashable {
    /// Stored; the author of the reposted original, when it was a repost.
    case created(originalAuthor: String?)
    /// `repostOf` names no post.
    case originalNotFound
}

/// What deleting a post did.
public enum PostDeletion: Sendable, Hashable {
    /// Deleted; the picture it had, which now must be removed from storage.
    case deleted(hadPicture: Bool)
    case notFound
    /// The post exists but belongs to someone else; nothing was deleted.
    case notAuthor
}

/// Which posts the global feed shows (§6; the personal feed is ``PostRepository/personalFeed(of:cursor:limit:)``).
public enum FeedFilter: Sendable, Hashable {
    /// Every post.
    case global
    /// Posts carrying this stored tag (`#…`, lower-case).
    case hashtag(String)
}

/// One page of posts and the total the filter matches.
public struct PostPage: Sendable, Hashable {
    public var posts: [PostRecord]
    public var total: Int
}

/// A stored comment.
public struct CommentRecord: Sendable, Hashable {
    public var id: UUID
    public var postID: UUID
    public var author: String
    public var content: String
    public var createdAt: Date

    public init(id: UUID, postID: UUID, author: String, content: String, createdAt: Date) {
        self.id = id
        self.postID = postID
        self.author = author
        self.content = content
        self.createdAt = createdAt
    }
}

/// What liking found.
public enum LikeOutcome: Sendable, Hashable {
    case liked
    case alreadyLiked
    case postNotFound
}
