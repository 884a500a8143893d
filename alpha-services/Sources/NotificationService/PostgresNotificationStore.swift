import Foundation
import Logging
import PostgresNIO

/// ``NotificationStore`` on the `notification_service` schema.
public struct PostgresNotificationStore: NotificationStore {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func create(_ record: NotificationRecord, content: PushContent) async throws -> NotificationStorage {
        try await client.withTransaction(logger: logger) { connection in
            let received = try await connection.query(
                """
                INSERT INTO notification_receipts (notification_id) VALUES (\(record.id))
                ON CONFLICT (notification_id) DO NOTHING
                RETURNING notification_id
                """,
                logger: logger
            ).collect()
            guard !received.isEmpty else { return NotificationStorage(stored: false) }
            _ = try await connection.query(
                """
                INSERT INTO notifications
                    (notification_id, recipient_username, sender_username, notification_type, "timestamp")
                VALUES (\(record.id), \(record.recipient), \(record.actor),
                        \(record.type.rawValue)::notification_type, \(record.createdAt))
                """,
                logger: logger
            ).collect()
            // One delivery per subscription of the recipient; the worker sends them after the commit.
            let rows = try await connection.query(
                """
                WITH queued AS (
                    INSERT INTO push_deliveries
                        (delivery_id, notification_id, subscription_id, payload, title, body)
                    SELECT gen_random_uuid(), \(record.id), subscription_id, \(content.payload),
                           \(content.title), \(content.body)
                    FROM push_subscriptions WHERE username = \(record.recipient)
                    RETURNING subscription_id
                )
                SELECT s.type::text FROM queued JOIN push_subscriptions s USING (subscription_id)
                """,
                logger: logger
            )
            var storage = NotificationStorage(stored: true)
            for try await type in rows.decode(String.self) {
                if type == "web" { storage.queuedWeb += 1 } else { storage.queuedExpo += 1 }
            }
            return storage
        }
    }

    public func list(recipient: String) async throws -> [NotificationRecord] {
        let rows = try await client.query(
            """
            SELECT notification_id, sender_username, notification_type::text, "timestamp"
            FROM notifications WHERE recipient_username = \(recipient)
            ORDER BY "timestamp" DESC, notification_id DESC
            """,
            logger: logger
        )
        var records: [NotificationRecord] = []
        for try await (id, actor, type, createdAt) in rows.decode((UUID, String, String, Date).self) {
            guard let type = NotificationType(rawValue: type) else { continue }
            records.append(
                NotificationRecord(id: id, recipient: recipient, actor: actor, type: type, createdAt: createdAt))
        }
        return records
    }

    public func delete(_ id: UUID, caller: String) async throws -> NotificationDeletion {
        // One statement: deletes only the caller's own, and tells apart "someone else's" from "unknown".
        let rows = try await client.query(
            """
            WITH target AS (SELECT recipient_username FROM notifications WHERE notification_id = \(id)),
                 deleted AS (
                     DELETE FROM notifications
                     WHERE notification_id = \(id) AND recipient_username = \(caller)
                     RETURNING 1
                 )
            SELECT (SELECT count(*) FROM target)::int8, (SELECT count(*) FROM deleted)::int8
            """,
            logger: logger
        )
        for try await (found, deleted) in rows.decode((Int, Int).self) {
            if deleted > 0 { return .deleted }
            return found > 0 ? .notRecipient : .notFound
        }
        return .notFound
    }

    public func register(_ target: PushTarget, for username: String) async throws -> UUID {
        let id = UUID()
        let rows: PostgresRowSequence
        switch target {
        case .web(let endpoint, let p256dh, let auth, let expiresAt):
            // A repeat refreshes the keys and expiry (a browser may re-subscribe with the same endpoint).
            rows = try await client.query(
                """
                INSERT INTO push_subscriptions (subscription_id, username, type, endpoint, p256dh, auth, expiration_time)
                VALUES (\(id), \(username), 'web', \(endpoint), \(p256dh), \(auth), \(expiresAt))
                ON CONFLICT (username, endpoint) WHERE type = 'web'
                DO UPDATE SET p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth,
                              expiration_time = EXCLUDED.expiration_time
                RETURNING subscription_id
                """,
                logger: logger
            )
        case .expo(let token):
            rows = try await client.query(
                """
                INSERT INTO push_subscriptions (subscription_id, username, type, token)
                VALUES (\(id), \(username), 'expo', \(token))
                ON CONFLICT (username, token) WHERE type = 'expo'
                DO UPDATE SET token = EXCLUDED.token
                RETURNING subscription_id
                """,
                logger: logger
            )
        }
        for try await existing in rows.decode(UUID.self) {
            return existing
        }
        return id
    }
}
