import Foundation
import Logging
import PostgresNIO

/// The notification service's two delivery queues. Both have `state` (`queued`, `sent`, `failed`),
/// `created_at`, and the same statistics and clean-up; the table name is one of these constants, never
/// input, so it is safe to put into the SQL text.
enum DeliveryTable: String {
    case mailOutbox = "mail_outbox"
    case pushDeliveries = "push_deliveries"

    /// The number and age of the rows waiting for delivery.
    func statistics(client: PostgresClient, logger: Logger) async throws -> MailQueueStatistics {
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT count(*)::int8, EXTRACT(EPOCH FROM now() - min(created_at))::float8
                    FROM \(rawValue) WHERE state = 'queued'
                    """),
            logger: logger
        )
        for try await (queued, oldestAge) in rows.decode((Int, Double?).self) {
            return MailQueueStatistics(queued: queued, oldestQueuedAge: oldestAge.map { .seconds(max(0, $0)) })
        }
        return MailQueueStatistics(queued: 0, oldestQueuedAge: nil)
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
}
