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
        var closeHandlers: [Int: @Sendable () -> Void] = [:]
        var nextWaiter = 0
    }

    /// A handler added with ``onUnavailable(_:)``; ``cancel()`` removes it.
    public struct CloseHandler: Sendable {
        fileprivate let gate: AvailabilityGate
        fileprivate let id: Int

        /// Removes the handler (it will not run any more; a no-op once it ran).
        public func cancel() {
            _ = gate.state.withLock { $0.closeHandlers.removeValue(forKey: id) }
        }
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
        let (wasAvailable, waiters, handlers) = state.withLock { state in
            let wasAvailable = state.available
            state.available = false
            let waiters = Array(state.waiters.values)
            let handlers = Array(state.closeHandlers.values)
            state.waiters.removeAll()
            state.closeHandlers.removeAll()
            return (wasAvailable, waiters, handlers)
        }
        for waiter in waiters { waiter.resume() }
        for handler in handlers { handler() }
        return wasAvailable
    }

    /// Runs `handler` once when the gate next closes, on the thread that closes it (so it must be quick, e.g.
    /// `task.cancel()`); returns `nil` without running it when the gate is closed already. Unlike
    /// ``waitUntilUnavailable()`` it needs no task of its own, which is why the gRPC server's availability
    /// check uses it on every RPC.
    public func onUnavailable(_ handler: @escaping @Sendable () -> Void) -> CloseHandler? {
        state.withLock { state -> CloseHandler? in
            guard state.available else { return nil }
            defer { state.nextWaiter += 1 }
            state.closeHandlers[state.nextWaiter] = handler
            return CloseHandler(gate: self, id: state.nextWaiter)
        }
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
