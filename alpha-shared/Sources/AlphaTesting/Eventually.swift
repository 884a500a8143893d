/// Waits until `condition` holds, checking every 20 ms for up to `timeout`; throws
/// ``EventuallyTimedOut`` naming `what` when it never does. For effects that happen in the background
/// (a relay delivering a message, a worker sending a mail), without sleeping for a fixed time.
///
/// ```swift
/// try await eventually("the mail is delivered") { try await mails(to: "alice").count == 1 }
/// ```
public func eventually(
    _ what: String,
    timeout: Duration = .seconds(20),
    _ condition: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw EventuallyTimedOut(what: what, timeout: timeout)
}

/// A condition given to ``eventually(_:timeout:_:)`` did not come true in time.
public struct EventuallyTimedOut: Error, CustomStringConvertible {
    /// What was waited for.
    public var what: String
    /// How long it was waited for.
    public var timeout: Duration

    /// What was awaited and for how long.
    public var description: String { "timed out after \(timeout) waiting until \(what)" }
}
