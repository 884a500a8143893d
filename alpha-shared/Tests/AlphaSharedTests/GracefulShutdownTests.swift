import AlphaCore
import AlphaGRPC
import AlphaTesting
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle
import Testing

/// A real gRPC server and client over HTTP/2 on loopback, each in its own `ServiceGroup`, as in a process.
@Suite("Graceful shutdown over HTTP/2")
struct GracefulShutdownTests {
    let identity = TestIdentity()

    func makeServer(_ services: [any RegistrableRPCService]) -> GRPCServerService {
        GRPCServerService(
            host: "127.0.0.1",
            port: 0,
            services: services,
            identity: identity.interceptor,
            readiness: Readiness(),
            logger: .quiet
        )
    }

    func makeClient(port: Int) throws -> GRPCClientService {
        try GRPCClientService(host: "127.0.0.1", port: port, credential: identity.credential, timeout: .seconds(5))
    }

    @Test(
        "an RPC in flight when shutdown begins completes, new RPCs are refused, and the group returns",
        .timeLimit(.minutes(1))
    )
    func inFlightRequestCompletes() async throws {
        let probe = ProbeService(slowDuration: .milliseconds(500))
        let server = makeServer([probe])
        let serverGroup = ServiceGroup(services: [server], logger: .quiet)
        try await withThrowingTaskGroup(of: String.self) { tasks in
            tasks.addTask {
                try await serverGroup.run()
                return "server group returned"
            }
            let port = try await server.listeningPort()
            let client = try makeClient(port: port)
            let clientGroup = ServiceGroup(services: [client], logger: .quiet)
            tasks.addTask {
                try await clientGroup.run()
                return "client group returned"
            }
            let health = HealthObserver(server.health)
            defer { health.stop() }
            #expect(await health.next() == .serving)
            let warmUp = try await client.client.probe(ProbeService.Method.echo, "up")
            #expect(warmUp == "up")

            var started = probe.started.makeAsyncIterator()
            tasks.addTask {
                try await client.client.probe(ProbeService.Method.slow)
            }
            await started.next()
            await serverGroup.triggerGracefulShutdown()
            #expect(await health.next() == .notServing)

            // Shutdown has begun while the slow RPC is still running: a new connection is refused.
            let late = try GRPCClientService(
                host: "127.0.0.1", port: port, credential: identity.credential, timeout: .seconds(2)
            )
            let lateError = await #expect(throws: RPCError.self) {
                try await withThrowingDiscardingTaskGroup { lateTasks in
                    lateTasks.addTask { try await late.client.runConnections() }
                    defer { late.client.beginGracefulShutdown() }
                    var options = CallOptions.defaults
                    options.waitForReady = false
                    _ = try await late.client.probe(ProbeService.Method.echo, "late", options: options)
                }
            }
            #expect(lateError?.code == .unavailable)

            // The slow RPC answers normally; the server group returns once it has (in either order here,
            // as the client may read the answer after the server has closed).
            let finished = Set([try await tasks.next(), try await tasks.next()])
            #expect(finished == ["done", "server group returned"])
            await clientGroup.triggerGracefulShutdown()
            #expect(try await tasks.next() == "client group returned")
        }
    }

    @Test("an open health Watch ends with NOT_SERVING and does not hold up shutdown", .timeLimit(.minutes(1)))
    func watchDoesNotBlockShutdown() async throws {
        let server = makeServer([ProbeService()])
        let serverGroup = ServiceGroup(services: [server], logger: .quiet)
        try await withThrowingTaskGroup(of: [Grpc_Health_V1_HealthCheckResponse.ServingStatus].self) { tasks in
            tasks.addTask {
                try await serverGroup.run()
                return []
            }
            let port = try await server.listeningPort()
            let client = try makeClient(port: port)
            let clientGroup = ServiceGroup(services: [client], logger: .quiet)
            tasks.addTask {
                try await clientGroup.run()
                return []
            }
            let (firstStatus, firstStatusContinuation) = AsyncStream.makeStream(of: Void.self)
            tasks.addTask {
                try await Grpc_Health_V1_Health.Client(wrapping: client.client).watch(.init()) { response in
                    var statuses: [Grpc_Health_V1_HealthCheckResponse.ServingStatus] = []
                    for try await message in response.messages {
                        statuses.append(message.status)
                        firstStatusContinuation.yield()
                    }
                    return statuses
                }
            }
            var iterator = firstStatus.makeAsyncIterator()
            await iterator.next()
            await serverGroup.triggerGracefulShutdown()

            // The watch and the server group end in either order: one result is the watch's statuses,
            // the other the server group's (empty).
            let ended = [try await tasks.next(), try await tasks.next()].compactMap { $0 }
            #expect(ended.sorted { $0.count < $1.count } == [[], [.serving, .notServing]])
            await clientGroup.triggerGracefulShutdown()
            #expect(try await tasks.next() == [])
        }
    }
}
