import Foundation
import Logging

/// A queued delivery (a mail, a push) that a worker has claimed: reserved for it until its lease runs out.
public protocol DeliveryClaim: Sendable {
    /// The row's id.
    var id: UUID { get }
    /// The number of this attempt (1 = the first); also the claim's fencing token.
    var attempt: Int { get }
    /// The `kind` label of the delivery's metrics and log lines (`activation_code`, `web`, …).
    var kindLabel: String { get }
    /// More log metadata for the delivery's log lines (the notification id of a push, for instance).
    var logMetadata: Logger.Metadata { get }
}

/// How full a delivery queue is.
public struct DeliveryQueueStatistics: Sendable, Hashable {
    /// Deliveries waiting (due or not).
    public var queued: Int
    /// Age of the oldest waiting delivery, `nil` when none waits.
    public var oldestQueuedAge: Duration?

    public init(queued: Int, oldestQueuedAge: Duration?) {
        self.queued = queued
        self.oldestQueuedAge = oldestQueuedAge
    }
}

/// A delivery queue (the mail outbox, the push deliveries), shared safely by any number of workers in any
/// number of replicas.
///
/// A worker claims due rows, which bumps their attempt count and reserves them for a lease; sends them
/// without holding a database lock; then records the outcome. Only the latest claim of a row may
/// reschedule or fail it (the attempt number fences stale claims), and a sent row is never claimed again.
/// The Postgres implementations share their statements (``DeliveryTable``).
public protocol DeliveryQueue<Claim>: Sendable {
    /// What a claim carries.
    associatedtype Claim: DeliveryClaim

    /// Claims up to `limit` queued rows whose next attempt is due, oldest due first: each gets
    /// `attempt + 1` and is not due again before `lease` has passed.
    func claimDue(limit: Int, lease: Duration) async throws -> [Claim]

    /// Marks a queued row sent. Returns `false` when it was not queued any more.
    @discardableResult
    func markSent(_ id: UUID) async throws -> Bool

    /// Makes the row due again after `delay`, recording why this attempt failed. Returns `false` (and
    /// changes nothing) unless `attempt` is the row's latest claim and it is still queued.
    @discardableResult
    func reschedule(_ id: UUID, attempt: Int, after delay: Duration, error: String) async throws -> Bool

    /// Gives up on the row (`failed`), recording why. Returns `false` (and changes nothing) unless
    /// `attempt` is the row's latest claim and it is still queued.
    @discardableResult
    func markFailed(_ id: UUID, attempt: Int, error: String) async throws -> Bool

    /// Deletes the dead address the claim was for (a push subscription answered 404/410) with whatever is
    /// queued for it. Returns `false` when it was already gone.
    @discardableResult
    func prune(addressOf claim: Claim) async throws -> Bool

    /// The number and age of waiting rows.
    func statistics() async throws -> DeliveryQueueStatistics

    /// Deletes sent and failed rows queued longer than `age` ago; returns how many.
    @discardableResult
    func purgeFinished(olderThan age: Duration) async throws -> Int
}
