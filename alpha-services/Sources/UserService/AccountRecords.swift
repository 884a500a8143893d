import Foundation

/// A profile picture as stored with the account.
public struct ProfilePicture: Sendable, Hashable {
    public var url: String
    public var width: Int
    public var height: Int

    public init(url: String, width: Int, height: Int) {
        self.url = url
        self.width = width
        self.height = height
    }

    /// The picture of users who never uploaded one (CONTRACT §8).
    public static let defaultAvatar = ProfilePicture(
        url: "https://getdrawings.com/free-icon/default-avatar-icon-62.png",
        width: 512,
        height: 512
    )
}

/// A change of a profile's picture saved with the profile (E10).
public enum ProfilePictureChange: Sendable, Hashable {
    /// A new picture: the image service's pending upload `uploadID` (lowercase UUID) at `picture.url`.
    case upload(ProfilePicture, uploadID: String)
    /// Back to ``ProfilePicture/defaultAvatar``; the uploaded picture is deleted (D44).
    case reset
}

/// What a one-time code is for; at most one live code per user and purpose.
public enum CodePurpose: String, Sendable, Hashable, CaseIterable {
    case activation
    case passwordReset = "password_reset"
}

/// An account about to be registered.
public struct NewAccount: Sendable, Hashable {
    public var username: String
    public var nickname: String
    public var email: String
    public var passwordHash: String
    public var picture: ProfilePicture
    /// The image service's pending upload of `picture`; `nil` for the default avatar.
    public var pictureUploadID: String?
    public var createdAt: Date
    public var expiresAt: Date

    public init(
        username: String,
        nickname: String,
        email: String,
        passwordHash: String,
        picture: ProfilePicture,
        pictureUploadID: String? = nil,
        createdAt: Date,
        expiresAt: Date
    ) {
        self.pictureUploadID = pictureUploadID
        self.username = username
        self.nickname = nickname
        self.email = email
        self.passwordHash = passwordHash
        self.picture = picture
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// The picture version the account starts with: 1 with an uploaded picture, 0 with the default avatar.
    public var pictureVersion: Int64 { pictureUploadID == nil ? 0 : 1 }
}

/// Which unique value of a new account is already taken.
public enum AccountConflict: Error, Sendable, Hashable {
    case username
    case email
}

/// An account as the code flows see it (read under a row lock).
public struct AccountState: Sendable, Hashable {
    public var username: String
    public var email: String
    public var isActivated: Bool

    public init(username: String, email: String, isActivated: Bool) {
        self.username = username
        self.email = email
        self.isActivated = isActivated
    }
}

/// A stored one-time code.
public struct StoredCode: Sendable, Hashable {
    public var code: String
    public var expiresAt: Date
    /// Wrong guesses so far.
    public var attempts: Int

    public init(code: String, expiresAt: Date, attempts: Int) {
        self.code = code
        self.expiresAt = expiresAt
        self.attempts = attempts
    }

    /// Whether `guess` is this code, compared without an early exit so the time taken does not tell
    /// how many leading digits were right.
    public func matches(_ guess: String) -> Bool {
        let expected = Array(code.utf8)
        let actual = Array(guess.utf8)
        guard expected.count == actual.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(expected, actual) {
            difference |= left ^ right
        }
        return difference == 0
    }
}

/// What a login needs to know about an account.
public struct LoginRecord: Sendable, Hashable {
    public var passwordHash: String
    public var isActivated: Bool

    public init(passwordHash: String, isActivated: Bool) {
        self.passwordHash = passwordHash
        self.isActivated = isActivated
    }
}

/// A user as others see them: name, nickname, picture.
public struct UserSummaryRecord: Sendable, Hashable {
    public var username: String
    public var nickname: String
    public var picture: ProfilePicture

    public init(username: String, nickname: String, picture: ProfilePicture) {
        self.username = username
        self.nickname = nickname
        self.picture = picture
    }
}

/// A profile with its live follow counts, as seen by one viewer.
public struct ProfileRecord: Sendable, Hashable {
    public var username: String
    public var nickname: String
    public var status: String
    public var picture: ProfilePicture
    /// Users following this user.
    public var followerCount: Int
    /// Users this user follows.
    public var followingCount: Int
    /// The viewer's subscription to this user, if the viewer follows them.
    public var viewerSubscriptionID: UUID?

    public init(
        username: String,
        nickname: String,
        status: String,
        picture: ProfilePicture,
        followerCount: Int,
        followingCount: Int,
        viewerSubscriptionID: UUID?
    ) {
        self.username = username
        self.nickname = nickname
        self.status = status
        self.picture = picture
        self.followerCount = followerCount
        self.followingCount = followingCount
        self.viewerSubscriptionID = viewerSubscriptionID
    }
}

/// One page of search results and the total number of matches.
public struct UserSearchPage: Sendable, Hashable {
    public var users: [UserSummaryRecord]
    public var total: Int

    public init(users: [UserSummaryRecord], total: Int) {
        self.users = users
        self.total = total
    }
}
