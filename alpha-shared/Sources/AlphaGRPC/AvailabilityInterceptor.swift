import AlphaCore
import GRPCCore

/// Answers `unavailable` (with the catalog code, ``ServiceError/unavailable(_:)``) at once while one of the
/// gates of the process's ``Dependencies`` is closed, and cancels an RPC that is still running when a gate closes
/// (one waiting for a database connection that will not come), so callers never wait for their deadline
/// during an outage. The health service is never refused: it reports readiness itself.
public struct AvailabilityInterceptor: ServerInterceptor {
    private let dependencies: Dependencies

    /// An interceptor that consults the gates `dependencies` holds at the time of each RPC.
    public init(dependencies: Dependencies) {
        self.dependencies = dependencies
    }

    /// Refuses the RPC while a gate is closed, and cancels it when one closes before it is answered.
    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let gates = dependencies.gates
        guard !gates.isEmpty, context.descriptor.service.fullyQualifiedService != "grpc.health.v1.Health" else {
            return try await next(request, context)
        }
        if let closed = gates.first(where: { !$0.isAvailable }) {
            throw ServiceError.unavailable(closed.name)
        }
        // The group's tasks all end before it returns, so `next` does not really escape.
        return try await withoutActuallyEscaping(next) { next in
            try await race(next: next, request: request, context: context, gates: gates)
        }
    }

    private func race<Input: Sendable, Output: Sendable>(
        next:
            @escaping @Sendable (StreamingServerRequest<Input>, ServerContext) async throws
            -> StreamingServerResponse<Output>,
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        gates: [AvailabilityGate]
    ) async throws -> StreamingServerResponse<Output> {
        try await withThrowingTaskGroup(of: StreamingServerResponse<Output>?.self) { group in
            group.addTask {
                try await next(request, context)
            }
            for gate in gates {
                group.addTask {
                    await gate.waitUntilUnavailable()
                    try Task.checkCancellation()
                    throw ServiceError.unavailable(gate.name)
                }
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let response = result { return response }
            }
            throw CancellationError()
        }
    }
}
