import Foundation
import Logging
import PostgresNIO

/// The seam for E16's repost notification (CONTRACT §5.2): called by ``PostgresPostRepository`` inside the
/// transaction that stores a repost, so a notification can be written to an outbox in the post service's
/// schema atomically with the post (ARCHITECTURE "Delivery") and relayed after commit.
///
/// Not called when the reposter is the original's author (D45: self-notifications are suppressed).
/// ``NoRepostNotifications`` is the placeholder until the notification service accepts them.
public protocol RepostNotifier: Sendable {
    /// `reposter` has reposted a post of `recipient` as `repostID`; `connection` is inside the transaction.
    func repostCreated(
        recipient: String,
        reposter: String,
        repostID: UUID,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws
}

/// Sends no repost notifications (the notifications issue replaces it with an outbox writer).
public struct NoRepostNotifications: RepostNotifier {
    public init() {}

    public func repostCreated(
        recipient: String,
        reposter: String,
        repostID: UUID,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {}
}
