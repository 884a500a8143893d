import Foundation
import Logging
import PostgresNIO

/// Writes outgoing messages into the service's outbox table, inside the caller's own transaction.
///
/// The message becomes visible to the ``OutboxRelay`` when, and only when, that transaction commits:
/// a rolled-back transaction leaves nothing to deliver, and a committed one is delivered even if the
/// receiver is down right now. The commit also wakes the relays of every replica at once (a PostgreSQL
/// `NOTIFY`, which PostgreSQL sends only on commit).
///
/// ```swift
/// try await postgres.withTransaction(logger: logger) { connection in
///     try await connection.query("INSERT INTO echoes …", logger: logger)
///     try await outbox.enqueue(topic: "echo.said", payload: try event.serializedBytes(), on: connection,
///                              logger: logger)
/// }
/// ```
///
/// Needs ``AlphaPostgres/Migration/outbox`` in the service's migrations.
public struct Outbox: Sendable {
    private let metrics: OutboxMetrics

    /// An outbox that counts what it writes in `metrics`.
    public init(metrics: OutboxMetrics = OutboxMetrics()) {
        self.metrics = metrics
    }

    /// Writes a message for `topic` on `connection`, which must be inside the caller's open transaction.
    ///
    /// - Parameters:
    ///   - topic: where the message goes; the relay hands it to the ``OutboxTopic`` of that name.
    ///   - payload: the message bytes (a serialized protobuf message, for instance).
    ///   - id: the message's stable id, which the receiver sees on every delivery attempt and uses to
    ///     store the message once. By default a fresh random UUID; pass an idempotency id of your own
    ///     to make the enqueue itself idempotent (a second enqueue of one id stores nothing).
    /// - Returns: the message id.
    @discardableResult
    public func enqueue(
        topic: String,
        payload: some Collection<UInt8>,
        id: UUID = Outbox.newMessageID(),
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> UUID {
        // One round trip: the insert, and the commit-time wake-up of the relays listening on this schema.
        let inserted = try await connection.query(
            """
            WITH inserted AS (
                INSERT INTO outbox_messages (id, topic, payload) VALUES (\(id), \(topic), \(Data(payload)))
                ON CONFLICT (id) DO NOTHING
                RETURNING topic
            )
            SELECT pg_notify(\(OutboxChannel.prefix) || current_schema(), topic) FROM inserted
            """,
            logger: logger
        ).collect()
        if !inserted.isEmpty {
            metrics.enqueued(topic: topic)
        }
        return id
    }

    /// A random (version 4) UUID drawn from the system's cryptographically secure generator.
    public static func newMessageID() -> UUID {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            )
        )
    }
}

/// The `LISTEN`/`NOTIFY` channel of a schema's outbox: `alpha_outbox_<schema>`.
enum OutboxChannel {
    static let prefix = "alpha_outbox_"
}
