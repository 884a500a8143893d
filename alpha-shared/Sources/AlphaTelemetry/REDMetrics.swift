import AlphaCore
import Metrics
import Synchronization

/// Rate, errors and duration for one kind of request (an RPC, an HTTP route).
///
/// Emits `<prefix>_requests_total{method,code}` and `<prefix>_request_duration_seconds{method}`;
/// label values should be low-cardinality (method or route template, status code).
///
/// The handles are made through the metrics factory once per method and code and then reused: making a
/// handle costs the factory a locked lookup by label and dimensions, recording into it only an atomic add.
public struct REDMetrics: Sendable {
    private let handles: Handles

    /// Creates the recorder for metrics named `<prefix>_…` (for example `grpc_server`).
    public init(prefix: String) {
        self.handles = Handles(prefix: prefix)
    }

    /// Records one finished request.
    public func record(method: String, code: String, duration: Duration) {
        let (counter, timer) = handles.handles(method: method, code: code)
        counter.increment()
        timer.recordNanoseconds(duration.nanoseconds)
    }
}

/// The counters and timers made so far, by method and code.
private final class Handles: Sendable {
    private struct Key: Hashable {
        var method: String
        var code: String
    }

    private struct State {
        var handles: [Key: (Counter, Metrics.Timer)] = [:]
        var timers: [String: Metrics.Timer] = [:]
    }

    private let requestsLabel: String
    private let durationLabel: String
    private let state = Mutex(State())

    init(prefix: String) {
        self.requestsLabel = "\(prefix)_requests_total"
        self.durationLabel = "\(prefix)_request_duration_seconds"
    }

    func handles(method: String, code: String) -> (Counter, Metrics.Timer) {
        let key = Key(method: method, code: code)
        if let found = state.withLock({ $0.handles[key] }) {
            return found
        }
        // Made outside the lock (the factory takes its own); a concurrent first use may make the same handle
        // twice, which the factory answers with the same underlying metric.
        let counter = Counter(label: requestsLabel, dimensions: [("method", method), ("code", code)])
        let timer = Metrics.Timer(
            label: durationLabel, dimensions: [("method", method)], preferredDisplayUnit: .seconds)
        return state.withLock { state in
            if let found = state.handles[key] { return found }
            let timer = state.timers[method] ?? timer
            state.timers[method] = timer
            state.handles[key] = (counter, timer)
            return (counter, timer)
        }
    }
}
