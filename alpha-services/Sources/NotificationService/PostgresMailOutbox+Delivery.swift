import Foundation
import PostgresNIO

extension PostgresMailOutbox: MailDeliveryQueue {
    public func claimDue(limit: Int, kinds: [MailKind], lease: Duration) async throws -> [ClaimedMail] {
        // One statement, so one short transaction: the row locks live only while the claim is written.
        // SKIP LOCKED lets concurrent workers claim disjoint mails; the bumped next_attempt_at (the lease)
        // keeps a claimed mail away from them after the commit. Kinds this build cannot render are left
        // for a build that can (a newer replica during a rolling update).
        let rows = try await client.query(
            """
            UPDATE mail_outbox AS m
            SET attempts = m.attempts + 1,
                next_attempt_at = now() + make_interval(secs => \(lease.inSeconds))
            FROM (
                SELECT mail_id FROM mail_outbox
                WHERE state = 'queued' AND next_attempt_at <= now() AND kind = ANY(\(kinds.map(\.rawValue)))
                ORDER BY next_attempt_at
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            ) AS due
            WHERE m.mail_id = due.mail_id
            RETURNING m.mail_id, m.kind, m.to_address, m.username, m.code, m.attempts
            """,
            logger: logger
        )
        var claimed: [ClaimedMail] = []
        for try await (id, kind, toAddress, username, code, attempt) in rows.decode(
            (UUID, String, String, String, String, Int).self
        ) {
            guard let kind = MailKind(rawValue: kind) else { continue }
            claimed.append(
                ClaimedMail(id: id, kind: kind, toAddress: toAddress, username: username, code: code, attempt: attempt)
            )
        }
        return claimed
    }

    @discardableResult
    public func markSent(_ id: UUID) async throws -> Bool {
        // Not fenced by attempt: once the provider has accepted the mail it is sent, whichever claim did it.
        try await !client.query(
            """
            UPDATE mail_outbox SET state = 'sent', sent_at = now(), last_error = NULL
            WHERE mail_id = \(id) AND state = 'queued'
            RETURNING mail_id
            """,
            logger: logger
        ).collect().isEmpty
    }

    @discardableResult
    public func reschedule(_ id: UUID, attempt: Int, after delay: Duration, error: String) async throws -> Bool {
        try await !client.query(
            """
            UPDATE mail_outbox
            SET next_attempt_at = now() + make_interval(secs => \(delay.inSeconds)), last_error = \(error)
            WHERE mail_id = \(id) AND state = 'queued' AND attempts = \(attempt)
            RETURNING mail_id
            """,
            logger: logger
        ).collect().isEmpty
    }

    @discardableResult
    public func markFailed(_ id: UUID, attempt: Int, error: String) async throws -> Bool {
        try await !client.query(
            """
            UPDATE mail_outbox SET state = 'failed', last_error = \(error)
            WHERE mail_id = \(id) AND state = 'queued' AND attempts = \(attempt)
            RETURNING mail_id
            """,
            logger: logger
        ).collect().isEmpty
    }

    public func statistics() async throws -> MailQueueStatistics {
        try await DeliveryTable.mailOutbox.statistics(client: client, logger: logger)
    }

    @discardableResult
    public func purgeFinished(olderThan age: Duration) async throws -> Int {
        try await DeliveryTable.mailOutbox.purgeFinished(olderThan: age, client: client, logger: logger)
    }
}
