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
    @NullWhenAbsent var subscriptionId: String?
}

/// E15's record; both ids are always present, `null` when there is no such subscription.
struct SubscriptionRecordBody: Encodable {
    @NullWhenAbsent var followerId: String?
    @NullWhenAbsent var followingId: String?
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
}
