import Foundation

/// A committed outbox message, as the relay hands it to its ``OutboxTopic``.
public struct OutboxMessage: Sendable, Hashable {
    /// The stable id: the same on every delivery attempt. Pass it to the receiver (as its idempotency
    /// key), so that a message delivered twice — after a relay lost its lease — is stored once.
    public var id: UUID
    /// The topic the message was enqueued for.
    public var topic: String
    /// The bytes given to ``Outbox/enqueue(topic:payload:id:on:logger:)``.
    public var payload: Data
    /// When the enqueuing transaction started.
    public var createdAt: Date
    /// Which delivery attempt this is (1 for the first).
    public var attempt: Int

    /// A message as the relay hands it to a topic.
    public init(id: UUID, topic: String, payload: Data, createdAt: Date, attempt: Int) {
        self.id = id
        self.topic = topic
        self.payload = payload
        self.createdAt = createdAt
        self.attempt = attempt
    }
}
