/// Delivers the messages of one topic: what the ``OutboxRelay`` calls for each committed message.
///
/// The closure returns when the receiver has accepted the message; then the message is deleted from the
/// outbox. When it throws, the message is retried later with backoff — unless the error is an
/// ``OutboxPermanentFailure``, which marks the message failed at once (kept with its error for an
/// operator, never retried). It is called outside any transaction and without any row lock held.
///
/// ```swift
/// OutboxTopic("echo.said") { message in
///     let event = try Alpha_Echo_V1_Said(serializedBytes: message.payload)
///     _ = try await audit.record(.with { $0.eventID = message.id.uuidString.lowercased(); $0.said = event })
/// }
/// ```
public struct OutboxTopic: Sendable {
    /// The topic name given to ``Outbox/enqueue(topic:payload:id:on:logger:)``.
    public let name: String
    /// Makes the receiving call for one message.
    public let deliver: @Sendable (OutboxMessage) async throws -> Void

    /// A topic named `name` whose messages `deliver` hands to their receiver.
    public init(_ name: String, deliver: @escaping @Sendable (OutboxMessage) async throws -> Void) {
        self.name = name
        self.deliver = deliver
    }
}

/// Thrown by an ``OutboxTopic`` when retrying cannot help (the receiver rejected the message as invalid):
/// the message is marked failed with `reason` as its last error, logged and counted, and not retried.
public struct OutboxPermanentFailure: Error, CustomStringConvertible, Sendable {
    /// Why the message can never be delivered.
    public var reason: String

    /// A permanent failure with the reason recorded on the message.
    public init(_ reason: String) {
        self.reason = reason
    }

    /// The reason.
    public var description: String { reason }
}
