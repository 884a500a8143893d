import Synchronization

/// Counts the calls that concurrent load loops made and those that failed, and tells the loops when
/// to stop — for tests that keep traffic flowing while they restart or drain a server.
///
/// ```swift
/// let load = LoadTally()
/// tasks.addTask {
///     while !load.isStopped { load.record(failed: (try? await call()) == nil) }
/// }
/// // … restart something …
/// load.stop()
/// #expect(load.failures == 0)
/// ```
public final class LoadTally: Sendable {
    private let state = Mutex((calls: 0, failures: 0, stopped: false))

    /// An empty tally.
    public init() {}

    /// Calls recorded so far.
    public var calls: Int { state.withLock { $0.calls } }
    /// Failed calls recorded so far.
    public var failures: Int { state.withLock { $0.failures } }
    /// Whether ``stop()`` was called.
    public var isStopped: Bool { state.withLock { $0.stopped } }

    /// Tells the loops to stop.
    public func stop() { state.withLock { $0.stopped = true } }

    /// Records one call.
    public func record(failed: Bool) {
        state.withLock { state in
            state.calls += 1
            if failed { state.failures += 1 }
        }
    }
}
