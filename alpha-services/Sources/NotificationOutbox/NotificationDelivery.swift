import AlphaContracts
import AlphaOutbox
import Foundation
import GRPCCore

/// Delivers the ``NotificationNotice/topic`` messages of a service's outbox to the notification service's
/// `alpha.notification.v1.Notifications/CreateNotification`, with the outbox message's stable id as
/// `notification_id`.
///
/// The notification service stores each `notification_id` once, so a notification delivered again (a retry
/// after a lost answer, a relay whose lease ran out) is stored and pushed once. Generic over the transport;
/// the client must carry the service credential (the kit's clients do).
///
/// ```swift
/// let notification = try process.addGRPCClient(urlKey: "notification.service.url", defaultTarget: "127.0.0.1:50053")
/// try process.addOutboxRelay(client: postgres, topics: [NotificationDelivery(client: notification).topic])
/// ```
public struct NotificationDelivery<Transport: ClientTransport>: Sendable {
    private let client: Alpha_Notification_V1_Notifications.Client<Transport>

    public init(client: GRPCClient<Transport>) {
        self.client = Alpha_Notification_V1_Notifications.Client(wrapping: client)
    }

    /// The outbox topic that delivers ``NotificationNotice/topic`` messages through this client.
    public var topic: OutboxTopic {
        OutboxTopic(NotificationNotice.topic) { message in try await deliver(message) }
    }

    /// Hands one outbox message to the notification service; returns once it stored (or already had) it.
    ///
    /// Throws ``OutboxPermanentFailure`` when the message is not a notification or the notification service
    /// rejects it as invalid (retrying cannot help); any other failure is retried by the relay.
    public func deliver(_ message: OutboxMessage) async throws {
        try await OutboxRequestDelivery.deliver(
            message, as: Alpha_Notification_V1_CreateNotificationRequest.self, idempotencyKey: \.notificationID
        ) { request in
            _ = try await client.createNotification(request)
        }
    }
}
