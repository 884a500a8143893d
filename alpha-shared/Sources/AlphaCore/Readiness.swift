import Synchronization

/// Whether a process should receive traffic: not draining, and every registered check passes.
///
/// The gRPC health service and the admin server's `/health/ready` both read it, so the two always agree.
/// Shutdown calls ``beginDraining()`` before servers stop accepting work.
public final class Readiness: Sendable {
    /// A named asynchronous check, for example "postgres" → `SELECT 1`.
    public typealias Check = @Sendable () async -> Bool

    private struct State {
        var draining = false
        var checks: [(name: String, check: Check)] = []
        var observers: [@Sendable (Bool) -> Void] = []
    }

    private let state = Mutex(State())

    /// Readiness with no checks, not draining.
    public init() {}

    /// Adds a check that must pass for the process to be ready.
    public func addCheck(_ name: String, _ check: @escaping Check) {
        state.withLock { $0.checks.append((name, check)) }
    }

    /// Called with `true` once draining begins (used by the gRPC health service).
    public func onDrainingChange(_ observer: @escaping @Sendable (Bool) -> Void) {
        state.withLock { $0.observers.append(observer) }
    }

    /// Marks the process as draining: it stays alive but reports not ready.
    public func beginDraining() {
        let observers = state.withLock { state -> [@Sendable (Bool) -> Void] in
            guard !state.draining else { return [] }
            state.draining = true
            return state.observers
        }
        for observer in observers { observer(true) }
    }

    /// Whether ``beginDraining()`` was called.
    public var isDraining: Bool { state.withLock { $0.draining } }

    /// Runs every check; the names of the failing ones (plus `draining`) are returned, empty when ready.
    public func failingChecks() async -> [String] {
        let (draining, checks) = state.withLock { ($0.draining, $0.checks) }
        var failing: [String] = draining ? ["draining"] : []
        for (name, check) in checks where await !check() {
            failing.append(name)
        }
        return failing
    }
}
