import AlphaAuth
import AlphaCore
import GRPCCore
import Logging

/// Turns whatever a handler throws into a status the caller can rely on.
///
/// ``ServiceError`` keeps its kind and catalog code; `RPCError` passes through; an error one of the
/// translators of the process's ``Dependencies`` knows becomes its ``ServiceError`` (for example a PostgreSQL connection failure →
/// `unavailable` with the catalog code, see `AlphaPostgres`); any other error is logged with its details
/// and answered as `internal` with a generic message, so nothing leaks.
///
/// Handler errors do not always reach this interceptor as thrown errors: grpc-swift catches what the
/// interceptors after this one (and the handler behind them) throw and hands back a failed response
/// whose status is `unknown` with the original error as its `cause`; and a streaming handler runs in the
/// response's producer, after the interceptors have returned. Both are mapped here too.
public struct ErrorMappingInterceptor: ServerInterceptor {
    private let logger: Logger
    private let dependencies: Dependencies

    /// `dependencies`: their translators are asked, in order, before an unknown error is answered `internal`.
    public init(logger: Logger, dependencies: Dependencies = Dependencies()) {
        self.logger = logger
        self.dependencies = dependencies
    }

    /// Maps what `next` throws or answers, and what a streaming handler's producer throws later.
    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let response: StreamingServerResponse<Output>
        do {
            response = try await next(request, context)
        } catch {
            throw map(error, context: context)
        }
        switch response.accepted {
        case .success:
            return response.wrappingProducer { produce in
                do {
                    return try await produce()
                } catch {
                    throw map(error, context: context)
                }
            }
        case .failure(let error):
            return StreamingServerResponse(accepted: .failure(map(error, context: context)))
        }
    }

    private func map(_ error: any Error, context: ServerContext) -> RPCError {
        switch error {
        case let error as RPCError:
            // grpc-swift's wrapping of an error that is neither an RPCError nor convertible to one.
            if error.code == .unknown, let cause = error.cause, !(cause is RPCError) {
                return unexpected(cause, context: context)
            }
            return error
        case let error as any RPCErrorConvertible:
            return RPCError(error)
        default:
            return unexpected(error, context: context)
        }
    }

    private func unexpected(_ error: any Error, context: ServerContext) -> RPCError {
        if let translated = dependencies.translate(error) {
            logger.warning(
                "dependency failure",
                metadata: [
                    "rpc": "\(context.descriptor.fullyQualifiedMethod)", "answer": "\(translated)",
                    "error": "\(String(reflecting: error))",
                ]
            )
            return RPCError(translated)
        }
        logger.error(
            "unexpected error in handler",
            metadata: ["rpc": "\(context.descriptor.fullyQualifiedMethod)", "error": "\(String(reflecting: error))"]
        )
        return RPCError(code: .internalError, message: "internal error")
    }
}
