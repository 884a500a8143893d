import Foundation

/// Which side of a user's follow relations a list shows.
public enum FollowDirection: Sendable, Hashable {
    /// Users following the user.
    case followers
    /// Users the user follows.
    case following
}

/// A stored follow relation.
public struct SubscriptionRecord: Sendable, Hashable {
    public var id: UUID
    public var createdAt: Date
    public var follower: String
    public var following: String

    public init(id: UUID, createdAt: Date, follower: String, following: String) {
        self.id = id
        self.createdAt = createdAt
        self.follower = follower
        self.following = following
    }
}

/// Why a follow could not be stored.
public enum SubscriptionConflict: Error, Sendable, Hashable {
    /// The follower already follows that user.
    case alreadyExists
    /// The follower or the followed user does not exist (any more).
    case unknownUser
}

/// What deleting a subscription did.
public enum SubscriptionDeletion: Sendable, Hashable {
    case deleted
    case notFound
    /// The subscription exists but belongs to another follower; nothing was deleted.
    case notFollower
}

/// One user in a followers/followings list, with the viewer's relations to them.
public struct FollowListing: Sendable, Hashable {
    public var user: UserSummaryRecord
    /// The listed user's subscription to the viewer ("they follow me").
    public var theirSubscriptionID: UUID?
    /// The viewer's subscription to the listed user ("I follow them").
    public var viewerSubscriptionID: UUID?

    public init(user: UserSummaryRecord, theirSubscriptionID: UUID?, viewerSubscriptionID: UUID?) {
        self.user = user
        self.theirSubscriptionID = theirSubscriptionID
        self.viewerSubscriptionID = viewerSubscriptionID
    }
}

/// Storage of follow relations. The real implementation is ``PostgresSubscriptionRepository``.
public protocol SubscriptionRepository: Sendable {
    /// Whether `username` exists.
    func userExists(_ username: String) async throws -> Bool

    /// Stores `subscription`; throws ``SubscriptionConflict``.
    func create(_ subscription: SubscriptionRecord) async throws

    /// Deletes subscription `id` if `follower` is its follower.
    func delete(id: UUID, follower: String) async throws -> SubscriptionDeletion

    /// How many relations `username` has in `direction`; `nil` when there is no such user.
    func count(of username: String, direction: FollowDirection) async throws -> Int?

    /// One page of `username`'s followers or followings, newest relation first, with `viewer`'s
    /// relations to each listed user.
    func list(
        of username: String,
        direction: FollowDirection,
        viewer: String,
        offset: Int,
        limit: Int
    ) async throws -> [FollowListing]

    /// Everyone `username` follows, in one query (unordered; empty for an unknown user).
    func followees(of username: String) async throws -> [String]
}
