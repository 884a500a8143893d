import Foundation
import Logging
import PostgresNIO

/// The receiving side of the outbox: stores each message id once, so a message delivered twice (the
/// relay retried after a lost answer, or a lease ran out) does its work once and is answered as a success.
///
/// Record the id in the same transaction as the work the message causes; skip the work when the id was
/// already there, and answer success either way, so the sender's relay deletes the message:
///
/// ```swift
/// try await postgres.withTransaction(logger: logger) { connection in
///     guard try await Inbox.receive(messageID, on: connection, logger: logger) else { return }  // a repeat
///     try await connection.query("INSERT INTO notifications …", logger: logger)
/// }
/// ```
///
/// Needs ``AlphaPostgres/Migration/inbox`` in the receiving service's migrations. Ids are kept until
/// ``prune(olderThan:client:logger:)`` removes them; keep them longer than a sender may retry.
public enum Inbox {
    /// Records `id` on `connection` (inside the caller's transaction): `true` the first time, `false` when
    /// the id was already recorded by a committed transaction. A concurrent transaction recording the same
    /// id waits for this one and then gets `false`.
    public static func receive(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        try await !connection.query(
            "INSERT INTO inbox_messages (id) VALUES (\(id)) ON CONFLICT (id) DO NOTHING RETURNING id",
            logger: logger
        ).collect().isEmpty
    }

    /// Deletes the ids recorded more than `age` ago; returns how many.
    @discardableResult
    public static func prune(olderThan age: Duration, client: PostgresClient, logger: Logger) async throws -> Int {
        let rows = try await client.query(
            """
            WITH pruned AS (
                DELETE FROM inbox_messages WHERE received_at < now() - make_interval(secs => \(age.inSeconds))
                RETURNING 1
            )
            SELECT count(*)::int8 FROM pruned
            """,
            logger: logger
        )
        for try await count in rows.decode(Int.self) {
            return count
        }
        return 0
    }
}
