import AlphaCore
import GRPCCore
import Synchronization

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
        // The task ends before `race` returns, so `next` does not really escape.
        return try await withoutActuallyEscaping(next) { next in
            try await race(next: next, request: request, context: context, gates: gates)
        }
    }

    /// Runs `next` in a task of its own that a closing gate cancels. One task per RPC and a handler on each
    /// gate: a task per gate waiting for it to close cost each RPC two more task starts and wake-ups.
    private func race<Input: Sendable, Output: Sendable>(
        next:
            @escaping @Sendable (StreamingServerRequest<Input>, ServerContext) async throws
            -> StreamingServerResponse<Output>,
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        gates: [AvailabilityGate]
    ) async throws -> StreamingServerResponse<Output> {
        let closed = ClosedGate()
        let task = Task { try await next(request, context) }
        var handlers: [AvailabilityGate.CloseHandler] = []
        for gate in gates {
            let close: @Sendable () -> Void = {
                closed.name.withLock { $0 = $0 ?? gate.name }
                task.cancel()
            }
            guard let handler = gate.onUnavailable(close) else {
                close()
                break
            }
            handlers.append(handler)
        }
        let result = await withTaskCancellationHandler {
            await task.result
        } onCancel: {
            task.cancel()
        }
        for handler in handlers { handler.cancel() }
        // An answer stands even when a gate closed meanwhile; a failure (thrown, or a refused response, which is
        // how the inner interceptors hand on a handler's error) after a gate closed is the outage's.
        if case .success(let response) = result, case .success = response.accepted { return response }
        if let name = closed.name.withLock({ $0 }) { throw ServiceError.unavailable(name) }
        return try result.get()
    }
}

/// The name of the first gate that closed while an RPC ran.
private final class ClosedGate: Sendable {
    let name = Mutex<String?>(nil)
}
