import AlphaCore
import AlphaTelemetry
import GRPCCore
import Logging

/// Logs every finished RPC (method, status, duration) and records RED metrics
/// (`grpc_server_requests_total{method,code}`, `grpc_server_request_duration_seconds{method}`).
public struct ObservingInterceptor: ServerInterceptor {
    private let logger: Logger
    private let metrics = REDMetrics(prefix: "grpc_server")

    public init(logger: Logger) {
        self.logger = logger
    }

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let clock = ContinuousClock()
        let start = clock.now
        let method = context.descriptor.fullyQualifiedMethod
        do {
            let response = try await next(request, context)
            let code: String =
                switch response.accepted {
                case .success: "ok"
                case .failure(let error): "\(error.code)"
                }
            finish(method: method, code: code, duration: clock.now - start)
            return response
        } catch {
            let code = (error as? RPCError).map { "\($0.code)" } ?? "unknown"
            finish(method: method, code: code, duration: clock.now - start)
            throw error
        }
    }

    private func finish(method: String, code: String, duration: Duration) {
        metrics.record(method: method, code: code, duration: duration)
        logger.info(
            "rpc finished",
            metadata: ["rpc": "\(method)", "code": "\(code)", "duration_ms": "\(duration.nanoseconds / 1_000_000)"]
        )
    }
}
