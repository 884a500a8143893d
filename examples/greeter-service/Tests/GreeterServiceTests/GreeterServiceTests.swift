import AlphaCore
import AlphaGRPC
import AlphaTesting
import GRPCCore
import GreeterService
import Logging
import ServiceLifecycle
import Testing

/// The greeter as its process wires it (`GreeterProcess.assemble`: migrations, pool, gRPC server with the
/// kit's interceptors and health), served over HTTP/2 on loopback, on a fresh database of the test PostgreSQL.
@Suite("Greeter service over gRPC on loopback")
struct GreeterServiceTests {
    let identity = TestIdentity()

    /// Runs `body` with a client of a running greeter; stops both afterwards.
    func withGreeter(
        _ body: @Sendable (GRPCClient<BalancingClientTransport>) async throws -> Void
    ) async throws {
        try await TestPostgres.withDatabase { database in
            let environment = identity.environment.merging(database.environment(schema: "greeter_service")) { $1 }
                .merging(["GRPC_HOST": "127.0.0.1", "GRPC_PORT": "\(try freePort())"]) { $1 }
            let logger = Logger(label: "greeter-service-tests")
            var process = ProcessAssembly(
                name: GreeterProcess.name,
                settings: .dictionary(environment),
                logger: logger,
                readiness: Readiness()
            )
            try await GreeterProcess.assemble(&process)
            try await process.runStartupSteps()  // the migrations, as ServiceProcess runs them
            let server = try #require(process.services.compactMap { $0 as? GRPCServerService }.first)
            let serverGroup = ServiceGroup(services: process.services, logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await serverGroup.run() }
                let client = try GRPCClientService(
                    host: "127.0.0.1",
                    port: try await server.listeningPort(),
                    credential: identity.credential,
                    timeout: .seconds(5)
                )
                let clientGroup = ServiceGroup(services: [client], logger: logger)
                tasks.addTask { try await clientGroup.run() }
                do {
                    try await body(client.client)
                } catch {
                    await clientGroup.triggerGracefulShutdown()
                    await serverGroup.triggerGracefulShutdown()
                    throw error
                }
                await clientGroup.triggerGracefulShutdown()
                await serverGroup.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    @Test("Greet greets the caller and counts the greetings per user in PostgreSQL")
    func countsPerUser() async throws {
        let alice = await identity.accessToken(for: "alice")
        let bob = await identity.accessToken(for: "bob")
        try await withGreeter { client in
            let greeter = Example_Greeter_V1_Greeter.Client(wrapping: client)
            let first = try await ForwardedUserToken.$current.withValue(alice) { try await greeter.greet(.init()) }
            let second = try await ForwardedUserToken.$current.withValue(alice) {
                try await greeter.greet(.with { $0.name = "Al" })
            }
            let bobs = try await ForwardedUserToken.$current.withValue(bob) { try await greeter.greet(.init()) }
            #expect(
                [first.greeting, second.greeting, bobs.greeting] == ["Hello, alice!", "Hello, Al!", "Hello, bob!"])
            #expect([first.timesGreeted, second.timesGreeted, bobs.timesGreeted] == [1, 2, 1])
        }
    }

    @Test("a name over 64 characters is invalidArgument with ERR-001 in the error-code trailer")
    func longName() async throws {
        let alice = await identity.accessToken(for: "alice")
        try await withGreeter { client in
            let greeter = Example_Greeter_V1_Greeter.Client(wrapping: client)
            let error = await #expect(throws: RPCError.self) {
                try await ForwardedUserToken.$current.withValue(alice) {
                    try await greeter.greet(.with { $0.name = String(repeating: "a", count: 65) })
                }
            }
            #expect(error?.code == .invalidArgument)
            #expect(error.flatMap(ServiceError.init(remote:))?.code == "ERR-001")
        }
    }

    @Test("a call with only the service credential, no user token, is unauthenticated")
    func needsUser() async throws {
        try await withGreeter { client in
            let error = await #expect(throws: RPCError.self) {
                try await Example_Greeter_V1_Greeter.Client(wrapping: client).greet(.init())
            }
            #expect(error?.code == .unauthenticated)
        }
    }

    @Test("grpc.health.v1 answers SERVING for the greeter's service name")
    func health() async throws {
        try await withGreeter { client in
            let response = try await Grpc_Health_V1_Health.Client(wrapping: client).check(
                .with { $0.service = Example_Greeter_V1_Greeter.descriptor.fullyQualifiedService }
            )
            #expect(response.status == .serving)
        }
    }
}
