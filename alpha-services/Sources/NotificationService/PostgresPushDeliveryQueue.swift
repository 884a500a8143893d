import Foundation
import Logging
import PostgresNIO

/// ``PushDeliveryQueue`` on the `push_deliveries` table of the `notification_service` schema.
public struct PostgresPushDeliveryQueue: PushDeliveryQueue {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func claimDue(limit: Int, lease: Duration) async throws -> [ClaimedPush] {
        // One statement, one short transaction; SKIP LOCKED lets replicas claim disjoint pushes and the
        // bumped next_attempt_at (the lease) keeps a claimed push away from them after the commit.
        let rows = try await client.query(
            """
            WITH due AS (
                SELECT delivery_id FROM push_deliveries
                WHERE state = 'queued' AND next_attempt_at <= now()
                ORDER BY next_attempt_at
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            ), claimed AS (
                UPDATE push_deliveries AS d
                SET attempts = d.attempts + 1,
                    next_attempt_at = now() + make_interval(secs => \(lease.inSeconds))
                FROM due WHERE d.delivery_id = due.delivery_id
                RETURNING d.delivery_id, d.notification_id, d.subscription_id, d.payload, d.title, d.body, d.attempts
            )
            SELECT c.delivery_id, c.notification_id, c.subscription_id, c.payload, c.title, c.body, c.attempts,
                   s.type::text, s.token, s.endpoint, s.p256dh, s.auth, s.expiration_time
            FROM claimed c JOIN push_subscriptions s USING (subscription_id)
            """,
            logger: logger
        )
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
        try await changed(
            """
            UPDATE push_deliveries SET state = 'sent', sent_at = now(), last_error = NULL
            WHERE delivery_id = \(id) AND state = 'queued'
            RETURNING delivery_id
            """)
    }

    @discardableResult
    public func reschedule(_ id: UUID, attempt: Int, after delay: Duration, error: String) async throws -> Bool {
        try await changed(
            """
            UPDATE push_deliveries
            SET next_attempt_at = now() + make_interval(secs => \(delay.inSeconds)), last_error = \(error)
            WHERE delivery_id = \(id) AND state = 'queued' AND attempts = \(attempt)
            RETURNING delivery_id
            """)
    }

    @discardableResult
    public func markFailed(_ id: UUID, attempt: Int, error: String) async throws -> Bool {
        try await changed(
            """
            UPDATE push_deliveries SET state = 'failed', last_error = \(error)
            WHERE delivery_id = \(id) AND state = 'queued' AND attempts = \(attempt)
            RETURNING delivery_id
            """)
    }

    @discardableResult
    public func prune(subscription id: UUID) async throws -> Bool {
        try await changed(
            "DELETE FROM push_subscriptions WHERE subscription_id = \(id) RETURNING subscription_id")
    }

    public func statistics() async throws -> MailQueueStatistics {
        try await DeliveryTable.pushDeliveries.statistics(client: client, logger: logger)
    }

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

    private func changed(_ query: PostgresQuery) async throws -> Bool {
        try await !client.query(query, logger: logger).collect().isEmpty
    }
}
