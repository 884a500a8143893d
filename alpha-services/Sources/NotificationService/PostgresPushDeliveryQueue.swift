import Foundation
import Logging
import PostgresNIO

/// ``DeliveryQueue`` of pushes on the `push_deliveries` table of the `notification_service` schema, each
/// claim joined with its subscription.
public struct PostgresPushDeliveryQueue: DeliveryQueue {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func claimDue(limit: Int, lease: Duration) async throws -> [ClaimedPush] {
        let rows = try await DeliveryTable.pushDeliveries.claim(
            limit: limit, lease: lease,
            select: """
                c.delivery_id, c.notification_id, c.subscription_id, c.payload, c.title, c.body, c.attempts,
                s.type::text, s.token, s.endpoint, s.p256dh, s.auth, s.expiration_time
                """,
            from: "claimed c JOIN push_subscriptions s USING (subscription_id)",
            client: client, logger: logger)
        var claimed: [ClaimedPush] = []
        for try await (
            id, notificationID, subscriptionID, payload, title, body, attempt, type, token, endpoint, p256dh,
            auth, expiresAt
        ) in rows.decode(
            (UUID, UUID, UUID, String, String, String, Int, String, String?, String?, String?, String?, Date?).self)
        {
            let target: PushTarget
            if type == "expo", let token {
                target = .expo(token: token)
            } else if let endpoint, let p256dh, let auth {
                target = .web(endpoint: endpoint, p256dh: p256dh, auth: auth, expiresAt: expiresAt)
            } else {
                continue
            }
            claimed.append(
                ClaimedPush(
                    id: id, notificationID: notificationID, subscriptionID: subscriptionID, target: target,
                    content: PushContent(payload: payload, title: title, body: body), attempt: attempt)
            )
        }
        return claimed
    }

    @discardableResult
    public func markSent(_ id: UUID) async throws -> Bool {
        try await DeliveryTable.pushDeliveries.markSent(id, client: client, logger: logger)
    }

    @discardableResult
    public func reschedule(_ id: UUID, attempt: Int, after delay: Duration, error: String) async throws -> Bool {
        try await DeliveryTable.pushDeliveries.reschedule(
            id, attempt: attempt, after: delay, error: error, client: client, logger: logger)
    }

    @discardableResult
    public func markFailed(_ id: UUID, attempt: Int, error: String) async throws -> Bool {
        try await DeliveryTable.pushDeliveries.markFailed(
            id, attempt: attempt, error: error, client: client, logger: logger)
    }

    /// Deletes the claim's dead subscription, and with it (`ON DELETE CASCADE`) its queued pushes.
    @discardableResult
    public func prune(addressOf claim: ClaimedPush) async throws -> Bool {
        try await !client.query(
            "DELETE FROM push_subscriptions WHERE subscription_id = \(claim.subscriptionID) RETURNING subscription_id",
            logger: logger
        ).collect().isEmpty
    }

    public func statistics() async throws -> DeliveryQueueStatistics {
        try await DeliveryTable.pushDeliveries.statistics(client: client, logger: logger)
    }

    /// Deletes finished pushes and notification receipts older than `age`; returns how many pushes.
    @discardableResult
    public func purgeFinished(olderThan age: Duration) async throws -> Int {
        _ = try await client.query(
            """
            DELETE FROM notification_receipts
            WHERE received_at < now() - make_interval(secs => \(age.inSeconds))
            """,
            logger: logger
        ).collect()
        return try await DeliveryTable.pushDeliveries.purgeFinished(olderThan: age, client: client, logger: logger)
    }
}
