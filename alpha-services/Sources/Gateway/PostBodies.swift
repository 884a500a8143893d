import AlphaContracts
import AlphaDomain

/// The User object naming the author of a post or comment, or the actor of a notification: `picture` is
/// `null` (and the names `""`) only when the user service could not resolve the user (§1.6).
struct AuthorBody: Encodable {
    var username: String
    var nickname: String
    @NullWhenAbsent var picture: PictureBody?

    init(_ user: Alpha_User_V1_UserSummary?) {
        username = user?.username ?? ""
        nickname = user?.nickname ?? ""
        picture = user.map { PictureBody($0.picture) }
    }
}

/// `{"latitude", "longitude", "accuracy"}`, the coordinates as 32-bit floats (§1.2).
struct LocationBody: Encodable {
    var latitude: Float
    var longitude: Float
    var accuracy: Int

    init(_ location: Alpha_Post_V1_Location) {
        latitude = location.latitude
        longitude = location.longitude
        accuracy = Int(location.accuracy)
    }
}

/// The Repost object: no id or counters; `picture`/`location` omitted when absent (D07: location in lists too).
struct RepostBody: Encodable {
    var author: AuthorBody
    var creationDate: String
    var content: String
    var picture: PictureBody?
    var location: LocationBody?

    init(_ repost: Alpha_Post_V1_Repost) {
        author = AuthorBody(repost.hasAuthor ? repost.author : nil)
        creationDate = repost.createdAt
        content = repost.content
        picture = repost.hasPicture ? PictureBody(repost.picture) : nil
        location = repost.hasLocation ? LocationBody(repost.location) : nil
    }
}

/// The Post object (§1.6): `picture`/`location` omitted when absent, `repost` always present (`null` when
/// not a repost or the original was deleted).
struct PostBody: Encodable {
    var postId: String
    var author: AuthorBody
    var creationDate: String
    var content: String
    var picture: PictureBody?
    var location: LocationBody?
    var likes: Int
    var liked: Bool
    var comments: Int
    @NullWhenAbsent var repost: RepostBody?

    init(_ post: Alpha_Post_V1_Post) {
        postId = post.postID
        author = AuthorBody(post.hasAuthor ? post.author : nil)
        creationDate = post.createdAt
        content = post.content
        picture = post.hasPicture ? PictureBody(post.picture) : nil
        location = post.hasLocation ? LocationBody(post.location) : nil
        likes = Int(post.likes)
        liked = post.liked
        comments = Int(post.comments)
        repost = post.hasRepost ? RepostBody(post.repost) : nil
    }
}

/// The Comment object (§1.6).
struct CommentBody: Encodable {
    var commentId: String
    var content: String
    var author: AuthorBody
    var creationDate: String

    init(_ comment: Alpha_Post_V1_Comment) {
        commentId = comment.commentID
        content = comment.content
        author = AuthorBody(comment.hasAuthor ? comment.author : nil)
        creationDate = comment.createdAt
    }
}

/// The cursor-style `pagination` object: `{"lastPostId", "limit", "records"}` (§1.5).
struct CursorPaginationBody: Encodable {
    var lastPostId: String
    var limit: Int
    var records: Int
}

/// A feed page (E18, E19).
struct FeedBody: Encodable {
    var records: [PostBody]
    var pagination: CursorPaginationBody

    init(_ feed: Alpha_Post_V1_ListFeedResponse) {
        records = feed.posts.map(PostBody.init)
        pagination = CursorPaginationBody(
            lastPostId: feed.nextPageToken, limit: Int(feed.limit), records: Int(feed.total))
    }
}
