import Synchronization

/// Whether a dependency that (nearly) every RPC of a process needs — its database — can serve right now.
///
/// A monitor (for PostgreSQL: `PostgresAvailability` in AlphaPostgres) marks it unavailable when a probe
/// fails or a query hits a connection-level error, and available again when a probe succeeds. The gRPC
/// server answers every RPC with `unavailable` at once while a gate is closed, and cancels RPCs that were
/// already waiting when it closes, so callers learn of an outage immediately instead of at their deadline.
///
/// ```swift
/// let gate = AvailabilityGate(name: "postgres")
/// gate.markUnavailable()
/// gate.isAvailable   // false
/// ```
public final class AvailabilityGate: Sendable {
    private struct State {
        var available = true
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    /// What is guarded (for logs and error messages), e.g. `postgres`.
    public let name: String
    private let state = Mutex(State())

    /// A gate that starts open.
    public init(name: String) {
        self.name = name
    }

    /// Whether the dependency can serve.
    public var isAvailable: Bool { state.withLock { $0.available } }

    /// Opens the gate; returns whether it was closed before.
    @discardableResult
    public func markAvailable() -> Bool {
        state.withLock { state in
            defer { state.available = true }
            return !state.available
        }
    }

    /// Closes the gate and wakes everything waiting in ``waitUntilUnavailable()``; returns whether it was open.
    @discardableResult
    public func markUnavailable() -> Bool {
        let (wasAvailable, waiters) = state.withLock { state in
            let wasAvailable = state.available
            state.available = false
            let waiters = state.waiters.values
            state.waiters.removeAll()
            return (wasAvailable, Array(waiters))
        }
        for waiter in waiters { waiter.resume() }
        return wasAvailable
    }

    /// Returns once the gate is closed (at once when it already is), or when the task is cancelled.
    public func waitUntilUnavailable() async {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if !state.available || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
