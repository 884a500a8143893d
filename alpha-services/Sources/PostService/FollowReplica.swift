import Foundation

/// One follow or unfollow committed by the user service (`alpha.post.v1.FollowChange`).
public struct FollowChange: Sendable, Hashable {
    public var follower: String
    public var followee: String
    /// `true`: `follower` now follows `followee`; `false`: no longer.
    public var following: Bool
    /// Higher for a later change of the same pair; always > 0 (0 marks a copy from `ListFollowees`).
    public var version: Int64

    public init(follower: String, followee: String, following: Bool, version: Int64) {
        self.follower = follower
        self.followee = followee
        self.following = following
        self.version = version
    }
}

/// The post service's copy of the follow graph, so a personal feed page does not ask the user service
/// for the followees (docs/performance.md, "The personal feed's follow graph").
///
/// Two writers keep it: the user service's outbox sends every follow change (``apply(_:)``, last version
/// wins, so repeated or reordered deliveries converge), and the first personal feed of a follower copies
/// their followees once from the user service (``copy(followees:of:)``, version 0: any change from the
/// outbox supersedes it). Only a follower whose followees were copied is answered from the copy.
public protocol FollowReplica: Sendable {
    /// Everyone `follower` follows, or `nil` when their followees were never copied. The personal feed does
    /// not call this: its one statement (``PersonalFeedStatement``) reads the copy itself; this is the copy's
    /// read for everything else (the tests that check how changes converge).
    func followees(of follower: String) async throws -> [String]?

    /// Records `followees` (as the user service answered them) as `follower`'s follows, without
    /// overriding any change the outbox already delivered, and marks `follower` as copied.
    func copy(followees: [String], of follower: String) async throws

    /// Applies `change` unless a change of the same pair with at least its version is already there;
    /// `true` when it changed the copy.
    @discardableResult
    func apply(_ change: FollowChange) async throws -> Bool
}
