import Foundation

/// A mail the delivery worker has claimed: reserved for it until its lease runs out.
public struct ClaimedMail: Sendable, Hashable {
    public var id: UUID
    public var kind: MailKind
    public var toAddress: String
    public var username: String
    public var code: String
    /// The number of this attempt (1 = the first); also the claim's fencing token.
    public var attempt: Int

    public init(id: UUID, kind: MailKind, toAddress: String, username: String, code: String, attempt: Int) {
        self.id = id
        self.kind = kind
        self.toAddress = toAddress
        self.username = username
        self.code = code
        self.attempt = attempt
    }
}

/// How full the outbox is.
public struct MailQueueStatistics: Sendable, Hashable {
    /// Mails waiting for delivery (due or not).
    public var queued: Int
    /// Age of the oldest waiting mail, `nil` when none waits.
    public var oldestQueuedAge: Duration?

    public init(queued: Int, oldestQueuedAge: Duration?) {
        self.queued = queued
        self.oldestQueuedAge = oldestQueuedAge
    }
}

/// The delivery side of the outbox, shared safely by any number of workers in any number of replicas.
///
/// A worker claims due mails, which bumps their attempt count and reserves them for a lease; sends them
/// without holding a database lock; then records the outcome. Only the latest claim of a mail may
/// reschedule or fail it (the attempt number fences stale claims), and a sent mail is never claimed again.
public protocol MailDeliveryQueue: Sendable {
    /// Claims up to `limit` queued mails of the given kinds whose next attempt is due, oldest due first:
    /// each gets `attempt + 1` and is not due again before `lease` has passed.
    func claimDue(limit: Int, kinds: [MailKind], lease: Duration) async throws -> [ClaimedMail]

    /// Marks a queued mail sent. Returns `false` when it was not queued any more.
    @discardableResult
    func markSent(_ id: UUID) async throws -> Bool

    /// Makes the mail due again after `delay`, recording why this attempt failed. Returns `false` (and
    /// changes nothing) unless `attempt` is the mail's latest claim and it is still queued.
    @discardableResult
    func reschedule(_ id: UUID, attempt: Int, after delay: Duration, error: String) async throws -> Bool

    /// Gives up on the mail (`failed`), recording why. Returns `false` (and changes nothing) unless
    /// `attempt` is the mail's latest claim and it is still queued.
    @discardableResult
    func markFailed(_ id: UUID, attempt: Int, error: String) async throws -> Bool

    /// The number and age of waiting mails.
    func statistics() async throws -> MailQueueStatistics

    /// Deletes sent and failed mails queued longer than `age` ago; returns how many.
    @discardableResult
    func purgeFinished(olderThan age: Duration) async throws -> Int
}
