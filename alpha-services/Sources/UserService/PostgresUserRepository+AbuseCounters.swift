import AlphaCore
import Foundation
import PostgresNIO

/// ``AbuseCounters`` (part of ``UserRepository``) in the `abuse_counters` table: one atomic upsert per
/// hit, so concurrent attempts on every replica are counted one by one.
extension PostgresUserRepository {
    public func hit(scope: String, subject: String, now: Date, window: Duration) async throws -> (
        hits: Int, since: Date
    ) {
        let cutoff = now.addingTimeInterval(-window.inSeconds)
        let rows = try await client.query(
            """
            INSERT INTO abuse_counters AS c (scope, subject, window_start, hits)
            VALUES (\(scope), \(subject), \(now), 1)
            ON CONFLICT (scope, subject) DO UPDATE SET
                hits = CASE WHEN c.window_start <= \(cutoff) THEN 1 ELSE c.hits + 1 END,
                window_start = CASE WHEN c.window_start <= \(cutoff) THEN \(now) ELSE c.window_start END
            RETURNING hits, window_start
            """,
            logger: logger
        )
        for try await (hits, since) in rows.decode((Int, Date).self) {
            return (hits, since)
        }
        return (1, now)
    }

    public func unhit(scope: String, subject: String) async throws {
        _ = try await client.query(
            "UPDATE abuse_counters SET hits = hits - 1 WHERE scope = \(scope) AND subject = \(subject) AND hits > 0",
            logger: logger
        ).collect()
    }

    public func clear(scope: String, subject: String) async throws {
        let prefix = subject + "|"
        _ = try await client.query(
            """
            DELETE FROM abuse_counters
            WHERE scope = \(scope) AND (subject = \(subject) OR left(subject, \(Int32(prefix.unicodeScalars.count))) = \(prefix))
            """,
            logger: logger
        ).collect()
    }
}
