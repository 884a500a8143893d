import AlphaGRPC
import GRPCCore
import Logging

extension Logger {
    /// A logger that writes nothing, for services under test whose logs are not the point.
    static let quiet = Logger(label: "alpha-test-quiet") { _ in SwiftLogNoOpLogHandler() }
}

/// Watches a ``HealthService`` directly (no transport), so a test can wait for a status change
/// instead of sleeping.
struct HealthObserver: Sendable {
    typealias Status = Grpc_Health_V1_HealthCheckResponse.ServingStatus

    private let task: Task<Void, any Error>
    private let statuses: AsyncStream<Status>

    init(_ health: HealthService, service: String = "") {
        let (statuses, continuation) = AsyncStream.makeStream(of: Status.self)
        self.statuses = statuses
        self.task = Task {
            defer { continuation.finish() }
            try await health.watch(
                request: .with { $0.service = service },
                response: RPCWriter(wrapping: StatusWriter(continuation: continuation)),
                context: ServerContext(
                    descriptor: Grpc_Health_V1_Health.Method.Watch.descriptor,
                    remotePeer: "in-memory",
                    localPeer: "in-memory",
                    cancellation: .init()
                )
            )
        }
    }

    /// The next status the service reports, or `nil` when the watch ended.
    func next() async -> Status? {
        var iterator = statuses.makeAsyncIterator()
        return await iterator.next()
    }

    /// Ends the watch.
    func stop() {
        task.cancel()
    }

    private struct StatusWriter: RPCWriterProtocol {
        let continuation: AsyncStream<Status>.Continuation

        func write(_ element: Grpc_Health_V1_HealthCheckResponse) async throws {
            continuation.yield(element.status)
        }

        func write(contentsOf elements: some Sequence<Grpc_Health_V1_HealthCheckResponse>) async throws {
            for element in elements { continuation.yield(element.status) }
        }
    }
}
