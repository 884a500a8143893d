import AlphaContracts
import AlphaDomain

/// `{"url", "width", "height"}`.
struct PictureBody: Encodable {
    var url: String
    var width: Int
    var height: Int

    init(_ picture: Alpha_User_V1_Picture) {
        url = picture.url
        width = Int(picture.width)
        height = Int(picture.height)
    }
}

/// The User object: `{"username", "nickname", "picture"}`.
struct UserBody: Encodable {
    var username: String
    var nickname: String
    var picture: PictureBody

    init(_ user: Alpha_User_V1_UserSummary) {
        username = user.username
        nickname = user.nickname
        picture = PictureBody(user.picture)
    }
}

/// `{"token", "refreshToken"}` (E03, E05, E06).
struct TokenPairBody: Encodable {
    var token: String
    var refreshToken: String
}

/// A page of records with the offset-style pagination object.
struct PageBody<Record: Encodable>: Encodable {
    var records: [Record]
    var pagination: PaginationInfo
}

/// E12's profile; `subscriptionId` is always present, `null` when the caller does not follow.
struct ProfileBody: Encodable {
    var username: String
    var nickname: String
    var status: String
    var picture: PictureBody
    var follower: Int
    var following: Int
    var posts: Int
    var subscriptionId: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(username, forKey: .username)
        try container.encode(nickname, forKey: .nickname)
        try container.encode(status, forKey: .status)
        try container.encode(picture, forKey: .picture)
        try container.encode(follower, forKey: .follower)
        try container.encode(following, forKey: .following)
        try container.encode(posts, forKey: .posts)
        try container.encode(subscriptionId, forKey: .subscriptionId)
    }

    enum CodingKeys: String, CodingKey {
        case username, nickname, status, picture, follower, following, posts, subscriptionId
    }
}

/// E15's record; both ids are always present, `null` when there is no such subscription.
struct SubscriptionRecordBody: Encodable {
    var followerId: String?
    var followingId: String?
    var username: String
    var nickname: String
    var picture: PictureBody

    init(_ record: Alpha_User_V1_SubscriptionRecord) {
        followerId = record.followerID.isEmpty ? nil : record.followerID
        followingId = record.followingID.isEmpty ? nil : record.followingID
        username = record.username
        nickname = record.nickname
        picture = PictureBody(record.picture)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(followerId, forKey: .followerId)
        try container.encode(followingId, forKey: .followingId)
        try container.encode(username, forKey: .username)
        try container.encode(nickname, forKey: .nickname)
        try container.encode(picture, forKey: .picture)
    }

    enum CodingKeys: String, CodingKey {
        case followerId, followingId, username, nickname, picture
    }
}
