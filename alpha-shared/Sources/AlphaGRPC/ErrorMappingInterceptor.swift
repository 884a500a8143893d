import AlphaAuth
import AlphaCore
import GRPCCore
import Logging

/// Turns whatever a handler throws into a status the caller can rely on.
///
/// ``ServiceError`` keeps its kind and catalog code; `RPCError` passes through; any other error is
/// logged with its details and answered as `internal` with a generic message, so nothing leaks.
public struct ErrorMappingInterceptor: ServerInterceptor {
    private let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        do {
            return try await next(request, context)
        } catch let error as RPCError {
            throw error
        } catch let error as any RPCErrorConvertible {
            throw RPCError(error)
        } catch {
            logger.error(
                "unexpected error in handler",
                metadata: ["rpc": "\(context.descriptor.fullyQualifiedMethod)", "error": "\(String(reflecting: error))"]
            )
            throw RPCError(code: .internalError, message: "internal error")
        }
    }
}
