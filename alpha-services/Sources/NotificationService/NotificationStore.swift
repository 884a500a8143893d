import Foundation

/// What storing a notification did.
public struct NotificationStorage: Sendable, Hashable {
    /// `false` when the id had been received before: nothing was stored or queued.
    public var stored: Bool
    /// Pushes queued, per subscription type.
    public var queuedWeb: Int
    public var queuedExpo: Int

    public init(stored: Bool, queuedWeb: Int = 0, queuedExpo: Int = 0) {
        self.stored = stored
        self.queuedWeb = queuedWeb
        self.queuedExpo = queuedExpo
    }
}

/// Durable storage of notifications and push subscriptions.
public protocol NotificationStore: Sendable {
    /// Stores `record` and queues one push with `content` to every subscription of its recipient, in one
    /// transaction — unless its id was received before (idempotent per id, also after a deletion).
    func create(_ record: NotificationRecord, content: PushContent) async throws -> NotificationStorage

    /// The notifications addressed to `recipient`, newest first.
    func list(recipient: String) async throws -> [NotificationRecord]

    /// Deletes the notification if `caller` is its recipient.
    func delete(_ id: UUID, caller: String) async throws -> NotificationDeletion

    /// Stores a subscription of `username`, or refreshes the existing one for the same endpoint or token
    /// (D46); returns its id.
    func register(_ target: PushTarget, for username: String) async throws -> UUID
}
