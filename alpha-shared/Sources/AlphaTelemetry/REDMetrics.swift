import AlphaCore
import Metrics

/// Rate, errors and duration for one kind of request (an RPC, an HTTP route).
///
/// Emits `<prefix>_requests_total{method,code}` and `<prefix>_request_duration_seconds{method}`;
/// label values should be low-cardinality (method or route template, status code).
public struct REDMetrics: Sendable {
    private let prefix: String

    /// Creates the recorder for metrics named `<prefix>_…` (for example `grpc_server`).
    public init(prefix: String) {
        self.prefix = prefix
    }

    /// Records one finished request.
    public func record(method: String, code: String, duration: Duration) {
        Counter(label: "\(prefix)_requests_total", dimensions: [("method", method), ("code", code)]).increment()
        Metrics.Timer(
            label: "\(prefix)_request_duration_seconds",
            dimensions: [("method", method)],
            preferredDisplayUnit: .seconds
        ).recordNanoseconds(duration.nanoseconds)
    }
}
