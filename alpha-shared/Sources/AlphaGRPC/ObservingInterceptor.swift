import AlphaCore
import AlphaTelemetry
import GRPCCore
import Logging

/// Logs every finished RPC (method, status, duration) and records RED metrics
/// (`grpc_server_requests_total{method,code}`, `grpc_server_request_duration_seconds{method}`).
public struct ObservingInterceptor: ServerInterceptor {
    private let logger: Logger
    private let metrics = REDMetrics(prefix: "grpc_server")

    /// An interceptor logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Records the RPC once it has ended: for a streaming response, when its last message has been written
    /// (a `Health/Watch` lasts as long as its stream), not when the handler returned the response.
    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let clock = ContinuousClock()
        let start = clock.now
        let method = context.descriptor.fullyQualifiedMethod
        let response: StreamingServerResponse<Output>
        do {
            response = try await next(request, context)
        } catch {
            finish(method: method, code: Self.code(of: error), duration: clock.now - start)
            throw error
        }
        switch response.accepted {
        case .failure(let error):
            finish(method: method, code: "\(error.code)", duration: clock.now - start)
            return response
        case .success:
            return response.wrappingProducer { produce in
                do {
                    let trailers = try await produce()
                    finish(method: method, code: "ok", duration: clock.now - start)
                    return trailers
                } catch {
                    finish(method: method, code: Self.code(of: error), duration: clock.now - start)
                    throw error
                }
            }
        }
    }

    private static func code(of error: any Error) -> String {
        (error as? RPCError).map { "\($0.code)" } ?? "unknown"
    }

    private func finish(method: String, code: String, duration: Duration) {
        metrics.record(method: method, code: code, duration: duration)
        logger.info(
            "rpc finished",
            metadata: ["rpc": "\(method)", "code": "\(code)", "duration_ms": "\(duration.wholeMilliseconds)"]
        )
    }
}
