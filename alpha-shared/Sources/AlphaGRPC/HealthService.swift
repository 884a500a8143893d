import AlphaCore
import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization

/// The standard `grpc.health.v1.Health` service.
///
/// The server as a whole (service `""`) and every registered service name answer SERVING until the
/// process starts draining, then NOT_SERVING. Unknown names answer NOT_FOUND from `Check` and
/// SERVICE_UNKNOWN from `Watch`. `Watch` streams the current status and every change.
public final class HealthService: Grpc_Health_V1_Health.SimpleServiceProtocol, Sendable {
    private typealias Status = Grpc_Health_V1_HealthCheckResponse.ServingStatus

    private struct State {
        var serving = true
        var watchers: [Int: AsyncStream<Bool>.Continuation] = [:]
        var nextWatcher = 0
    }

    private let knownServices: Set<String>
    private let state = Mutex(State())

    /// Creates the service for the names every one of `services` registers its methods under (the names
    /// clients ask for); it follows `readiness` draining.
    public convenience init(serving services: [any RegistrableRPCService], readiness: Readiness) {
        self.init(serviceNames: Self.serviceNames(of: services), readiness: readiness)
    }

    /// Creates the service for explicit `serviceNames`; it follows `readiness` draining.
    public init(serviceNames: [String], readiness: Readiness) {
        self.knownServices = Set(serviceNames + [""])
        readiness.onDrainingChange { [weak self] draining in
            self?.setServing(!draining)
        }
    }

    /// The fully qualified names (`alpha.user.v1.Users`) of the services `services` register methods for.
    public static func serviceNames(of services: [any RegistrableRPCService]) -> [String] {
        var router = RPCRouter<HTTP2ServerTransport.Posix>()
        for service in services { service.registerMethods(with: &router) }
        return Array(Set(router.methods.map(\.service.fullyQualifiedService))).sorted()
    }

    /// Sets the status reported for every known service.
    public func setServing(_ serving: Bool) {
        let watchers = state.withLock { state -> [AsyncStream<Bool>.Continuation] in
            state.serving = serving
            return Array(state.watchers.values)
        }
        for watcher in watchers {
            watcher.yield(serving)
            // Not serving only happens on shutdown: end open Watch streams after telling them, so they
            // do not hold the server's graceful shutdown open until the grace period runs out.
            if !serving { watcher.finish() }
        }
    }

    /// `grpc.health.v1.Health/Check`: the current status of a known service, NOT_FOUND for others.
    public func check(
        request: Grpc_Health_V1_HealthCheckRequest,
        context: ServerContext
    ) async throws -> Grpc_Health_V1_HealthCheckResponse {
        guard knownServices.contains(request.service) else {
            throw RPCError(code: .notFound, message: "unknown service '\(request.service)'")
        }
        let serving = state.withLock { $0.serving }
        return .with { $0.status = serving ? .serving : .notServing }
    }

    /// `grpc.health.v1.Health/Watch`: the current status of the service, then every change, until shutdown.
    public func watch(
        request: Grpc_Health_V1_HealthCheckRequest,
        response: RPCWriter<Grpc_Health_V1_HealthCheckResponse>,
        context: ServerContext
    ) async throws {
        guard knownServices.contains(request.service) else {
            try await response.write(.with { $0.status = .serviceUnknown })
            return
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Bool.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state -> Int in
            let id = state.nextWatcher
            state.nextWatcher += 1
            continuation.yield(state.serving)
            // Opened while shutting down: tell it and end it at once, or it would hold the shutdown open.
            if state.serving {
                state.watchers[id] = continuation
            } else {
                continuation.finish()
            }
            return id
        }
        defer { _ = state.withLock { $0.watchers.removeValue(forKey: id) } }
        var last: Bool?
        for await serving in stream where serving != last {
            last = serving
            try await response.write(.with { $0.status = serving ? .serving : .notServing })
        }
    }
}
