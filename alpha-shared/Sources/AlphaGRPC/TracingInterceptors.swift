import GRPCCore
import ServiceContextModule
import Tracing

/// Continues the caller's trace (W3C `traceparent` in metadata) and wraps each RPC in a server span, which
/// ends when the RPC does (for a streaming response, after its last message).
public struct TracingServerInterceptor: ServerInterceptor {
    /// The interceptor (it uses the process's bootstrapped tracer).
    public init() {}

    /// Runs the RPC inside a server span that is a child of the caller's.
    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        var serviceContext = ServiceContext.topLevel
        InstrumentationSystem.instrument.extract(request.metadata, into: &serviceContext, using: MetadataExtractor())
        let span = startSpan(context.descriptor.fullyQualifiedMethod, context: serviceContext, ofKind: .server)
        span.attributes["rpc.system"] = "grpc"
        span.attributes["rpc.method"] = context.descriptor.fullyQualifiedMethod
        let response: StreamingServerResponse<Output>
        do {
            response = try await ServiceContext.withValue(span.context) { try await next(request, context) }
        } catch {
            span.recordError(error)
            span.end()
            throw error
        }
        if case .failure(let error) = response.accepted {
            span.recordError(error)
            span.end()
            return response
        }
        return response.wrappingProducer { produce in
            defer { span.end() }
            do {
                return try await ServiceContext.withValue(span.context) { try await produce() }
            } catch {
                span.recordError(error)
                throw error
            }
        }
    }
}

/// Starts a client span for each outgoing RPC and injects `traceparent` into its metadata.
public struct TracingClientInterceptor: ClientInterceptor {
    /// The interceptor (it uses the process's bootstrapped tracer).
    public init() {}

    /// Runs the call inside a client span and hands its context to the callee.
    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingClientRequest<Input>,
        context: ClientContext,
        next: (StreamingClientRequest<Input>, ClientContext) async throws -> StreamingClientResponse<Output>
    ) async throws -> StreamingClientResponse<Output> {
        try await withSpan(context.descriptor.fullyQualifiedMethod, ofKind: .client) { span in
            var request = request
            InstrumentationSystem.instrument.inject(
                span.context,
                into: &request.metadata,
                using: MetadataInjector()
            )
            return try await next(request, context)
        }
    }
}

struct MetadataExtractor: Extractor {
    func extract(key: String, from carrier: Metadata) -> String? {
        carrier[stringValues: key].first(where: { _ in true })
    }
}

struct MetadataInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout Metadata) {
        carrier.replaceOrAddString(value, forKey: key)
    }
}
