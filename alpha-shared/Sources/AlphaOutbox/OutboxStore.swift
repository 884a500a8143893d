import Foundation
import Logging
import PostgresNIO

/// Counts of one topic's messages in the outbox.
struct OutboxTopicStatistics: Sendable, Hashable {
    var pending = 0
    var dead = 0
    var oldestPendingSeconds = 0.0
}

/// The relay's statements on `outbox_messages`. Each is one statement, so one short transaction: no lock
/// outlives the statement, and nothing is held while a message is being delivered.
struct OutboxStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Claims up to `limit` due messages of `topics`: bumps their attempt count and moves their next
    /// attempt `lease` ahead, which keeps every other relay away from them until the lease runs out.
    /// `SKIP LOCKED` lets concurrent relays claim disjoint messages without waiting on each other.
    func claim(limit: Int, topics: [String], lease: Duration) async throws -> [OutboxMessage] {
        let rows = try await client.query(
            """
            UPDATE outbox_messages AS m
            SET attempts = m.attempts + 1,
                next_attempt_at = now() + make_interval(secs => \(lease.inSeconds))
            FROM (
                SELECT id FROM outbox_messages
                WHERE failed_at IS NULL AND next_attempt_at <= now() AND topic = ANY(\(topics))
                ORDER BY next_attempt_at
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            ) AS due
            WHERE m.id = due.id
            RETURNING m.id, m.topic, m.payload, m.created_at, m.attempts
            """,
            logger: logger
        )
        var claimed: [OutboxMessage] = []
        for try await (id, topic, payload, createdAt, attempt) in rows.decode((UUID, String, Data, Date, Int).self) {
            claimed.append(
                OutboxMessage(id: id, topic: topic, payload: payload, createdAt: createdAt, attempt: attempt))
        }
        return claimed
    }

    /// Deletes a delivered message. Not fenced by the attempt: once the receiver accepted it, it is
    /// delivered, whichever claim did it.
    func delete(_ id: UUID) async throws {
        _ = try await client.query("DELETE FROM outbox_messages WHERE id = \(id)", logger: logger).collect()
    }

    /// Schedules the next attempt of the claim `attempt` of `id`; `false` when a newer claim owns the message.
    func reschedule(_ id: UUID, attempt: Int, after delay: Duration, error: String) async throws -> Bool {
        try await !client.query(
            """
            UPDATE outbox_messages
            SET next_attempt_at = now() + make_interval(secs => \(delay.inSeconds)), last_error = \(error)
            WHERE id = \(id) AND attempts = \(attempt) AND failed_at IS NULL
            RETURNING id
            """,
            logger: logger
        ).collect().isEmpty
    }

    /// Marks the claim `attempt` of `id` failed for good; `false` when a newer claim owns the message.
    func markFailed(_ id: UUID, attempt: Int, error: String) async throws -> Bool {
        try await !client.query(
            """
            UPDATE outbox_messages SET failed_at = now(), last_error = \(error)
            WHERE id = \(id) AND attempts = \(attempt) AND failed_at IS NULL
            RETURNING id
            """,
            logger: logger
        ).collect().isEmpty
    }

    /// How long until the next message of `topics` is due (zero when one is due now); `nil` when none waits.
    func nextDue(topics: [String]) async throws -> Duration? {
        let rows = try await client.query(
            """
            SELECT EXTRACT(EPOCH FROM min(next_attempt_at) - now())::float8 FROM outbox_messages
            WHERE failed_at IS NULL AND topic = ANY(\(topics))
            """,
            logger: logger
        )
        for try await seconds in rows.decode(Double?.self) {
            return seconds.map { .milliseconds(Int64(max(0, $0) * 1000)) }
        }
        return nil
    }

    /// Pending and failed counts per topic, for the gauges.
    func statistics(topics: [String]) async throws -> [String: OutboxTopicStatistics] {
        let rows = try await client.query(
            """
            SELECT topic,
                   count(*) FILTER (WHERE failed_at IS NULL)::int8,
                   count(*) FILTER (WHERE failed_at IS NOT NULL)::int8,
                   COALESCE(EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE failed_at IS NULL)), 0)::float8
            FROM outbox_messages WHERE topic = ANY(\(topics)) GROUP BY topic
            """,
            logger: logger
        )
        var result: [String: OutboxTopicStatistics] = [:]
        for try await (topic, pending, dead, oldest) in rows.decode((String, Int, Int, Double).self) {
            result[topic] = OutboxTopicStatistics(pending: pending, dead: dead, oldestPendingSeconds: max(0, oldest))
        }
        return result
    }
}
