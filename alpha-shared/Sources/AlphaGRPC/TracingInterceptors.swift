import GRPCCore
import ServiceContextModule
import Tracing

/// Continues the caller's trace (W3C `traceparent` in metadata) and wraps each RPC in a server span.
public struct TracingServerInterceptor: ServerInterceptor {
    public init() {}

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        var serviceContext = ServiceContext.topLevel
        InstrumentationSystem.instrument.extract(request.metadata, into: &serviceContext, using: MetadataExtractor())
        return try await withSpan(
            context.descriptor.fullyQualifiedMethod,
            context: serviceContext,
            ofKind: .server
        ) { span in
            span.attributes["rpc.system"] = "grpc"
            span.attributes["rpc.method"] = context.descriptor.fullyQualifiedMethod
            return try await next(request, context)
        }
    }
}

/// Starts a client span for each outgoing RPC and injects `traceparent` into its metadata.
public struct TracingClientInterceptor: ClientInterceptor {
    public init() {}

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
