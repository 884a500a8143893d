import Foundation
import Logging
import PostgresNIO

/// The statements of the notification service's two delivery queues, written once. Both tables have an
/// id column, `state` (`queued`, `sent`, `failed`), `attempts`, `next_attempt_at`, `last_error`,
/// `sent_at` and `created_at`. Table and column names are these constants, never input, so they are safe
/// in the SQL text; every value is a bind parameter.
enum DeliveryTable: String {
    case mailOutbox = "mail_outbox"
    case pushDeliveries = "push_deliveries"

    /// The primary key column.
    var idColumn: String {
        switch self {
        case .mailOutbox: "mail_id"
        case .pushDeliveries: "delivery_id"
        }
    }

    /// Claims up to `limit` queued rows whose next attempt is due, oldest due first (and, for the mail
    /// outbox, of `kinds` only): bumps `attempts` and moves `next_attempt_at` a `lease` ahead. One
    /// statement, so one short transaction: the row locks live only while the claim is written; `SKIP
    /// LOCKED` lets concurrent workers claim disjoint rows, and the lease keeps a claimed row away from
    /// them after the commit. Returns the claimed rows as `select` of `claimed` (the claimed rows with all
    /// their columns) and `from` (`claimed` plus any join).
    func claim(
        limit: Int, lease: Duration, kinds: [String]? = nil, select: String, from: String = "claimed",
        client: PostgresClient, logger: Logger
    ) async throws -> PostgresRowSequence {
        var binds = PostgresBindings()
        binds.append(limit)
        binds.append(lease.inSeconds)
        var kindFilter = ""
        if let kinds {
            binds.append(kinds)
            kindFilter = "AND kind = ANY($3)"
        }
        return try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    WITH due AS (
                        SELECT \(idColumn) FROM \(rawValue)
                        WHERE state = 'queued' AND next_attempt_at <= now()
                          \(kindFilter)
                        ORDER BY next_attempt_at
                        LIMIT $1
                        FOR UPDATE SKIP LOCKED
                    ), claimed AS (
                        UPDATE \(rawValue) AS d
                        SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
                        FROM due WHERE d.\(idColumn) = due.\(idColumn)
                        RETURNING d.*
                    )
                    SELECT \(select) FROM \(from)
                    """,
                binds: binds),
            logger: logger
        )
    }

    /// Marks a queued row sent. Not fenced by the attempt: once the provider has accepted it, it is sent,
    /// whichever claim did it. Returns `false` when it was not queued any more.
    func markSent(_ id: UUID, client: PostgresClient, logger: Logger) async throws -> Bool {
        var binds = PostgresBindings()
        binds.append(id)
        return try await changed(
            """
            UPDATE \(rawValue) SET state = 'sent', sent_at = now(), last_error = NULL
            WHERE \(idColumn) = $1 AND state = 'queued'
            RETURNING 1
            """, binds, client: client, logger: logger)
    }

    /// Makes the claim `attempt` of a queued row due again after `delay`; `false` when a newer claim owns it.
    func reschedule(
        _ id: UUID, attempt: Int, after delay: Duration, error: String, client: PostgresClient, logger: Logger
    ) async throws -> Bool {
        var binds = PostgresBindings()
        binds.append(id)
        binds.append(attempt)
        binds.append(delay.inSeconds)
        binds.append(error)
        return try await changed(
            """
            UPDATE \(rawValue) SET next_attempt_at = now() + make_interval(secs => $3), last_error = $4
            WHERE \(idColumn) = $1 AND state = 'queued' AND attempts = $2
            RETURNING 1
            """, binds, client: client, logger: logger)
    }

    /// Marks the claim `attempt` of a queued row failed for good; `false` when a newer claim owns it.
    func markFailed(_ id: UUID, attempt: Int, error: String, client: PostgresClient, logger: Logger) async throws
        -> Bool
    {
        var binds = PostgresBindings()
        binds.append(id)
        binds.append(attempt)
        binds.append(error)
        return try await changed(
            """
            UPDATE \(rawValue) SET state = 'failed', last_error = $3
            WHERE \(idColumn) = $1 AND state = 'queued' AND attempts = $2
            RETURNING 1
            """, binds, client: client, logger: logger)
    }

    /// The number and age of the rows waiting for delivery.
    func statistics(client: PostgresClient, logger: Logger) async throws -> DeliveryQueueStatistics {
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT count(*)::int8, EXTRACT(EPOCH FROM now() - min(created_at))::float8
                    FROM \(rawValue) WHERE state = 'queued'
                    """),
            logger: logger
        )
        for try await (queued, oldestAge) in rows.decode((Int, Double?).self) {
            return DeliveryQueueStatistics(queued: queued, oldestQueuedAge: oldestAge.map { .seconds(max(0, $0)) })
        }
        return DeliveryQueueStatistics(queued: 0, oldestQueuedAge: nil)
    }

    /// Deletes sent and failed rows queued longer than `age` ago; returns how many.
    func purgeFinished(olderThan age: Duration, client: PostgresClient, logger: Logger) async throws -> Int {
        var binds = PostgresBindings()
        binds.append(age.inSeconds)
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    WITH purged AS (
                        DELETE FROM \(rawValue)
                        WHERE state <> 'queued' AND created_at < now() - make_interval(secs => $1)
                        RETURNING 1
                    )
                    SELECT count(*)::int8 FROM purged
                    """,
                binds: binds),
            logger: logger
        )
        for try await count in rows.decode(Int.self) {
            return count
        }
        return 0
    }

    private func changed(_ sql: String, _ binds: PostgresBindings, client: PostgresClient, logger: Logger)
        async throws -> Bool
    {
        try await !client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).collect().isEmpty
    }
}
