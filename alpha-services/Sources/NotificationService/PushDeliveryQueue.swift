import Foundation

/// A push the delivery worker has claimed: reserved for it until its lease runs out.
public struct ClaimedPush: Sendable, Hashable {
    public var id: UUID
    public var notificationID: UUID
    public var subscriptionID: UUID
    public var target: PushTarget
    public var content: PushContent
    /// The number of this attempt (1 = the first); also the claim's fencing token.
    public var attempt: Int

    public init(
        id: UUID, notificationID: UUID, subscriptionID: UUID, target: PushTarget, content: PushContent, attempt: Int
    ) {
        self.id = id
        self.notificationID = notificationID
        self.subscriptionID = subscriptionID
        self.target = target
        self.content = content
        self.attempt = attempt
    }

    /// `web` or `expo`, for logs and metric labels.
    public var kind: String {
        switch target {
        case .web: "web"
        case .expo: "expo"
        }
    }
}

/// The push delivery queue, shared safely by any number of workers in any number of replicas — the same
/// protocol as the mail outbox (``MailDeliveryQueue``): claim (attempt + 1, lease), send without a lock,
/// record the outcome fenced by the attempt number.
public protocol PushDeliveryQueue: Sendable {
    /// Claims up to `limit` queued pushes whose next attempt is due, oldest due first.
    func claimDue(limit: Int, lease: Duration) async throws -> [ClaimedPush]

    /// Marks a queued push sent. Returns `false` when it was not queued any more.
    @discardableResult
    func markSent(_ id: UUID) async throws -> Bool

    /// Makes the push due again after `delay`. Returns `false` (and changes nothing) unless `attempt` is
    /// its latest claim and it is still queued.
    @discardableResult
    func reschedule(_ id: UUID, attempt: Int, after delay: Duration, error: String) async throws -> Bool

    /// Gives up on the push (`failed`). Returns `false` unless `attempt` is its latest claim and it is queued.
    @discardableResult
    func markFailed(_ id: UUID, attempt: Int, error: String) async throws -> Bool

    /// Deletes a dead subscription (404/410, `DeviceNotRegistered`, unusable keys) with its queued pushes.
    /// Returns `false` when it was already gone.
    @discardableResult
    func prune(subscription id: UUID) async throws -> Bool

    /// The number and age of waiting pushes.
    func statistics() async throws -> MailQueueStatistics

    /// Deletes finished pushes and notification receipts older than `age`; returns how many pushes.
    @discardableResult
    func purgeFinished(olderThan age: Duration) async throws -> Int
}
