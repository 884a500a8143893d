import Foundation
import PostgresNIO

extension PostgresMailOutbox: DeliveryQueue {
    /// Claims due mails of every kind this build can render.
    public func claimDue(limit: Int, lease: Duration) async throws -> [ClaimedMail] {
        try await claimDue(limit: limit, kinds: MailKind.allCases, lease: lease)
    }

    /// Claims due mails of `kinds` only. Kinds this build cannot render are left for a build that can (a
    /// newer replica during a rolling update).
    public func claimDue(limit: Int, kinds: [MailKind], lease: Duration) async throws -> [ClaimedMail] {
        let rows = try await DeliveryTable.mailOutbox.claim(
            limit: limit, lease: lease, kinds: kinds.map(\.rawValue),
            select: "mail_id, kind, to_address, username, code, attempts", client: client, logger: logger)
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
        try await DeliveryTable.mailOutbox.markSent(id, client: client, logger: logger)
    }

    @discardableResult
    public func reschedule(_ id: UUID, attempt: Int, after delay: Duration, error: String) async throws -> Bool {
        try await DeliveryTable.mailOutbox.reschedule(
            id, attempt: attempt, after: delay, error: error, client: client, logger: logger)
    }

    @discardableResult
    public func markFailed(_ id: UUID, attempt: Int, error: String) async throws -> Bool {
        try await DeliveryTable.mailOutbox.markFailed(
            id, attempt: attempt, error: error, client: client, logger: logger)
    }

    /// A mail address is never pruned: the mail fails instead.
    @discardableResult
    public func prune(addressOf claim: ClaimedMail) async throws -> Bool {
        try await markFailed(claim.id, attempt: claim.attempt, error: "the address is gone")
    }

    public func statistics() async throws -> DeliveryQueueStatistics {
        try await DeliveryTable.mailOutbox.statistics(client: client, logger: logger)
    }

    @discardableResult
    public func purgeFinished(olderThan age: Duration) async throws -> Int {
        try await DeliveryTable.mailOutbox.purgeFinished(olderThan: age, client: client, logger: logger)
    }
}
