import AlphaCore
import AlphaGRPC
import AlphaTesting
import ServiceLifecycle
import Testing

@Suite("freePort hands out loopback ports a server can listen on")
struct FreePortTests {
    @Test("ports are below the ephemeral range and never handed out twice")
    func distinctPorts() throws {
        let ports = try (0..<20).map { _ in try freePort() }
        #expect(Set(ports).count == ports.count)
        #expect(ports.allSatisfy { (10_000..<15_000).contains($0) })
    }

    @Test("a gRPC server listens on the port it was given", .timeLimit(.minutes(1)))
    func serverListens() async throws {
        let port = try freePort()
        let identity = TestIdentity()
        let server = GRPCServerService(
            host: "127.0.0.1", port: port, services: [ProbeService()], serviceNames: [ProbeService.serviceName],
            identity: identity.interceptor, readiness: Readiness(), logger: .quiet
        )
        let group = ServiceGroup(services: [server], logger: .quiet)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(try await server.listeningPort() == port)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
