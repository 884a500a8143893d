import AlphaContracts
import AlphaDomain
import AlphaOutbox
import Foundation
import Logging
import PostgresNIO

/// A notification for the notification service (CONTRACT §5.2), written into the triggering service's
/// outbox inside the transaction of the action that caused it (a follow, a repost) and relayed after the
/// commit by ``NotificationDelivery`` as `alpha.notification.v1.Notifications/CreateNotification`, with the
/// outbox message id as `notification_id`: a relayed repeat is stored once.
public enum NotificationNotice {
    /// The outbox topic of notifications for the notification service.
    public static let topic = "notification.create"

    /// Writes a `type` notification for `recipient`, caused by `actor` at `date`, into the outbox of
    /// `connection`'s schema, in that connection's transaction; returns the new notification id.
    ///
    /// `actor.nickname` and `actor.picture` are the push's snapshot; leave them empty when the caller does
    /// not know them (the push then omits the picture; E26 resolves the actor afresh).
    @discardableResult
    public static func enqueue(
        type: Alpha_Notification_V1_NotificationType,
        recipient: String,
        actor: Alpha_Notification_V1_Actor,
        date: Date,
        outbox: Outbox = Outbox(),
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> UUID {
        let request = Alpha_Notification_V1_CreateNotificationRequest.with {
            $0.type = type
            $0.recipient = recipient
            $0.actor = actor
            $0.occurredAt = Timestamp.string(from: date)
        }
        return try await outbox.enqueue(
            topic: topic,
            payload: try request.serializedBytes() as [UInt8],
            on: connection,
            logger: logger
        )
    }
}
