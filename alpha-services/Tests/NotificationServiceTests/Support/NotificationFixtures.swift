import Foundation
import NotificationService
import PostgresNIO

/// Notifications and push rows for tests, on an ``OutboxDatabase`` (the same migrated schema).
extension OutboxDatabase {
    var notifications: PostgresNotificationStore { PostgresNotificationStore(client: client, logger: .quiet) }
    var pushQueue: PostgresPushDeliveryQueue { PostgresPushDeliveryQueue(client: client, logger: .quiet) }

    /// Stores a notification from `actor` to `recipient` and returns it.
    @discardableResult
    func notify(
        _ recipient: String,
        from actor: String = "bob",
        type: NotificationType = .follow,
        id: UUID = UUID(),
        at date: Date = Date()
    ) async throws -> (record: NotificationRecord, storage: NotificationStorage) {
        let record = NotificationRecord(id: id, recipient: recipient, actor: actor, type: type, createdAt: date)
        let content = PushContent(
            record: record,
            actor: NotificationActor(
                username: actor, nickname: actor.capitalized,
                picture: .init(url: "http://localhost:8080/api/images?image=\(actor).png", width: 512, height: 512))
        )
        return (record, try await notifications.create(record, content: content))
    }

    /// `(state, attempts, last_error)` of every push of `notification`.
    func pushes(of notification: UUID) async throws -> [(state: String, attempts: Int, lastError: String?)] {
        let rows = try await client.query(
            """
            SELECT state::text, attempts, last_error FROM push_deliveries
            WHERE notification_id = \(notification) ORDER BY created_at
            """,
            logger: .quiet
        )
        var result: [(state: String, attempts: Int, lastError: String?)] = []
        for try await row in rows.decode((String, Int, String?).self) { result.append(row) }
        return result
    }

    /// The ids of `username`'s push subscriptions.
    func subscriptions(of username: String) async throws -> [UUID] {
        var ids: [UUID] = []
        let rows = try await client.query(
            "SELECT subscription_id FROM push_subscriptions WHERE username = \(username)", logger: .quiet)
        for try await id in rows.decode(UUID.self) { ids.append(id) }
        return ids
    }

    /// Makes every queued push due now (skips the backoff wait).
    func makePushesDue() async throws {
        try await execute("UPDATE push_deliveries SET next_attempt_at = now() WHERE state = 'queued'")
    }
}
