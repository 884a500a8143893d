import AlphaContracts
import AlphaOutbox
import Foundation
import Logging
import PostgresNIO

/// Follow changes for the post service's copy of the follow graph (`alpha.post.v1.FollowReplica`), written
/// into the user service's outbox in the transaction of the follow or unfollow, and relayed after the commit
/// by ``FollowChangeDelivery``.
public enum FollowChanges {
    /// The outbox topic of follow changes for the post service.
    public static let topic = "follow.changed"

    /// Writes the change of `follower` → `followee` to `following` into the outbox of `connection`'s
    /// schema, in that connection's transaction.
    ///
    /// Call it after the statement that inserted or deleted the subscription row: its version is drawn
    /// from the `follow_change_versions` sequence now, while this transaction holds the row's lock, so a
    /// later change of the same pair (which waits for that lock) gets a higher version.
    public static func enqueue(
        follower: String,
        followee: String,
        following: Bool,
        outbox: Outbox = Outbox(),
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        var version: Int64 = 0
        let rows = try await connection.query("SELECT nextval('follow_change_versions')", logger: logger)
        for try await value in rows.decode(Int64.self) { version = value }
        let change = Alpha_Post_V1_FollowChange.with {
            $0.follower = follower
            $0.followee = followee
            $0.following = following
            $0.version = version
        }
        try await outbox.enqueue(
            topic: topic, payload: try change.serializedBytes() as [UInt8], on: connection, logger: logger)
    }
}
