import AlphaCore
import AlphaGRPC
import AlphaTesting
import GRPCCore
import ServiceLifecycle
import Testing

/// Two real gRPC servers on loopback behind one balancing client, as replicas of one service.
@Suite("Client-side balancing over two servers", .timeLimit(.minutes(1)))
struct BalancingClientTests {
    let identity = TestIdentity()

    /// One replica: its server (with the kit's health service), its group and its handler.
    struct Replica {
        let service: ReplicaService
        let server: GRPCServerService
        let group: ServiceGroup
        let port: Int
    }

    func startReplica(_ name: String, in tasks: inout ThrowingTaskGroup<Void, any Error>) async throws -> Replica {
        let service = ReplicaService(name: name)
        let server = GRPCServerService(
            host: "127.0.0.1",
            port: 0,
            services: [service],
            identity: identity.interceptor,
            readiness: Readiness(),
            logger: .quiet
        )
        let group = ServiceGroup(services: [server], logger: .quiet)
        tasks.addTask { try await group.run() }
        return Replica(service: service, server: server, group: group, port: try await server.listeningPort())
    }

    func makeClient(_ target: ClientTarget) throws -> GRPCClientService {
        try GRPCClientService(
            target: target,
            credential: identity.credential,
            timeout: .seconds(5),
            idempotentMethods: [ReplicaService.Method.name],
            logger: .quiet
        )
    }

    /// Runs `body` with two replicas and a client balancing over both, once both report SERVING.
    func withTwoReplicas(
        _ body: (Replica, Replica, GRPCClientService, BalancingClientTransport) async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            let a = try await startReplica("a", in: &tasks)
            let b = try await startReplica("b", in: &tasks)
            let client = try makeClient(
                .addresses([
                    EndpointAddress(host: "127.0.0.1", port: a.port), EndpointAddress(host: "127.0.0.1", port: b.port),
                ])
            )
            let clientGroup = ServiceGroup(services: [client], logger: .quiet)
            tasks.addTask { try await clientGroup.run() }
            let transport = client.transport
            try await waitUntil { transport.servingEndpointAddresses.count == 2 }
            try await body(a, b, client, transport)
            await clientGroup.triggerGracefulShutdown()
            await a.group.triggerGracefulShutdown()
            await b.group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test("calls alternate between the two servers")
    func roundRobin() async throws {
        try await withTwoReplicas { a, b, client, _ in
            var answers: [String: Int] = [:]
            for _ in 0..<20 {
                answers[try await client.client.probe(ReplicaService.Method.name), default: 0] += 1
            }
            #expect(answers == ["a": 10, "b": 10])
            #expect(a.service.calls == 10)
            #expect(b.service.calls == 10)
        }
    }

    @Test("a server reporting NOT_SERVING gets no new calls, and gets them again once SERVING")
    func notServingIsPassedOver() async throws {
        try await withTwoReplicas { a, b, client, transport in
            a.server.health.setServing(false)
            try await waitUntil { transport.servingEndpointAddresses.map(\.port) == [b.port] }
            let before = a.service.calls
            for _ in 0..<20 {
                #expect(try await client.client.probe(ReplicaService.Method.write) == "b")
            }
            #expect(a.service.calls == before)

            a.server.health.setServing(true)
            try await waitUntil { transport.servingEndpointAddresses.count == 2 }
            var answers = Set<String>()
            for _ in 0..<4 { answers.insert(try await client.client.probe(ReplicaService.Method.write)) }
            #expect(answers == ["a", "b"])
        }
    }

    @Test("a read failing with unavailable is retried once on the other server; a write is not retried")
    func idempotentReadIsRetriedElsewhere() async throws {
        try await withTwoReplicas { a, b, client, _ in
            a.service.setFailing(true)
            for _ in 0..<10 {
                #expect(try await client.client.probe(ReplicaService.Method.name) == "b")
            }
            #expect(a.service.calls >= 1, "some reads went to the failing server first")
            // Let the failing server's suspicion lapse, so that writes go there again in turn.
            try await Task.sleep(for: .milliseconds(1200))

            var failures = 0
            for _ in 0..<10 {
                do {
                    _ = try await client.client.probe(ReplicaService.Method.write)
                } catch let error as RPCError {
                    #expect(error.code == .unavailable)
                    failures += 1
                }
            }
            #expect(failures >= 1, "writes that reached the failing server were not retried")
        }
    }

    @Test("a server that stops while reads run steadily costs no failed read, and no call goes to it after")
    func stoppedServerUnderLoad() async throws {
        try await withTwoReplicas { a, b, client, transport in
            let load = LoadTally()
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for _ in 0..<4 {
                    tasks.addTask {
                        while !load.isStopped {
                            do {
                                _ = try await client.client.probe(ReplicaService.Method.name)
                                load.record(failed: false)
                            } catch {
                                load.record(failed: true)
                            }
                        }
                    }
                }
                try await Task.sleep(for: .milliseconds(300))
                await a.group.triggerGracefulShutdown()
                try await waitUntil { transport.servingEndpointAddresses.map(\.port) == [b.port] }
                try await Task.sleep(for: .milliseconds(100))
                let afterStop = a.service.calls
                try await Task.sleep(for: .milliseconds(300))
                load.stop()
                try await tasks.waitForAll()
                #expect(a.service.calls == afterStop)
            }
            #expect(load.calls > 20)
            #expect(load.failures == 0)
        }
    }

    @Test("a dns:/// target balances over what the name resolves to")
    func dnsTarget() async throws {
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            let a = try await startReplica("a", in: &tasks)
            let client = try makeClient(.dns(host: "localhost", port: a.port))
            let clientGroup = ServiceGroup(services: [client], logger: .quiet)
            tasks.addTask { try await clientGroup.run() }
            let transport = client.transport
            try await waitUntil {
                transport.servingEndpointAddresses.contains(EndpointAddress(host: "127.0.0.1", port: a.port))
            }
            #expect(try await client.client.probe(ReplicaService.Method.name) == "a")
            await clientGroup.triggerGracefulShutdown()
            await a.group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

@Suite("Client targets")
struct ClientTargetTests {
    @Test("one address, several, a DNS name and IPv6 literals parse; malformed ones do not")
    func parsing() {
        #expect(
            ClientTarget(parsing: "127.0.0.1:50051") == .addresses([EndpointAddress(host: "127.0.0.1", port: 50051)]))
        #expect(
            ClientTarget(parsing: "a:1, b:2,a:1")
                == .addresses([EndpointAddress(host: "a", port: 1), EndpointAddress(host: "b", port: 2)]))
        #expect(ClientTarget(parsing: "dns:///user-service:50051") == .dns(host: "user-service", port: 50051))
        #expect(ClientTarget(parsing: "[::1]:7") == .addresses([EndpointAddress(host: "::1", port: 7)]))
        #expect(ClientTarget(parsing: "[::1]:7")?.description == "[::1]:7")
        for bad in ["", "host", "host:0", "host:70000", "a:1,", "dns:///name", "::1:7", "dns://x:1"] {
            #expect(ClientTarget(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test("a malformed target names its variable")
    func malformedSetting() {
        let settings = Settings.dictionary(["USER_SERVICE_URL": "user-service"])
        #expect(throws: ConfigurationError.self) {
            try settings.clientTarget("user.service.url", default: "127.0.0.1:1")
        }
    }
}

/// Polls `condition` every 10 ms for up to 10 s.
func waitUntil(_ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(10)
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("condition not met within 10 s")
            return
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}
