import AlphaAuth
import AlphaCore
import AlphaGRPC
import AlphaPostgres
import AlphaTesting
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import PostgresNIO
import ServiceLifecycle
import Testing

/// A process assembled as a `main` assembles it (`addPostgres`, `addGRPCServer`), on a real PostgreSQL and
/// real gRPC over loopback.
@Suite("Process assembly: settings before side effects, database failures for every RPC", .serialized)
struct ProcessAssemblyTests {
    static let database = Task { try await TestPostgres.createDatabase() }
    let identity = TestIdentity()
    let logger = Logger(label: "assembly-tests")

    /// The settings of an echo-service process on the test database.
    func settings(schema: String, _ extra: [String: String] = [:]) async throws -> Settings {
        let environment = try await Self.database.value.environment(schema: schema)
            .merging(identity.environment) { _, new in new }
            .merging(extra) { _, new in new }
        return .dictionary(environment)
    }

    func schemaExists(_ schema: String) async throws -> Bool {
        let settings = try await Self.database.value.settings(schema: "public")
        return try await withPostgresClient(settings.clientConfiguration, logger: logger) { client in
            try await !client.query("SELECT 1 FROM pg_namespace WHERE nspname = \(schema)", logger: logger)
                .collect().isEmpty
        }
    }

    @Test("GRPC_PORT=abc read after addPostgres stops the assembly before any migration has run")
    func settingsBeforeMigrations() async throws {
        var process = ProcessAssembly(
            name: "echo-service",
            settings: try await settings(schema: "echo_early", ["GRPC_PORT": "abc"]),
            logger: logger,
            readiness: Readiness()
        )
        let postgres = try process.addPostgres(defaultSchema: "echo_early", migrations: EchoServiceMigrations.all())
        let error = #expect(throws: ConfigurationError.self) {
            try process.addGRPCServer(
                defaultPort: 50055,
                services: [EchoHandler(store: PostgresEchoStore(client: postgres, logger: logger), maxTextLength: 10)]
            )
        }
        #expect(error?.variable == "GRPC_PORT")
        #expect(try await !schemaExists("echo_early"))
        // The migrations wait in the start-up steps that ServiceProcess runs once assembling succeeded.
        #expect(process.startupSteps.map(\.name) == ["postgres migrations"])
        try await process.runStartupSteps()
        #expect(try await schemaExists("echo_early"))
    }

    @Test(
        "a database that drops its connections and refuses new ones answers unavailable ERR-009 over real gRPC, then serves again; health answers for the registered service",
        .timeLimit(.minutes(1))
    )
    func databaseFailureIsUnavailable() async throws {
        let port = try freePort()
        var process = ProcessAssembly(
            name: "echo-service",
            settings: try await settings(
                schema: "echo_outage", ["GRPC_HOST": "127.0.0.1", "GRPC_PORT": "\(port)", "POSTGRES_POOL_SIZE": "2"]),
            logger: logger,
            readiness: Readiness()
        )
        let postgres = try process.addPostgres(defaultSchema: "echo_outage", migrations: EchoServiceMigrations.all())
        try process.addGRPCServer(
            defaultPort: 50055,
            services: [EchoHandler(store: PostgresEchoStore(client: postgres, logger: logger), maxTextLength: 10)]
        )
        try await process.runStartupSteps()
        let client = try GRPCClientService(
            host: "127.0.0.1", port: port, credential: identity.credential, timeout: .seconds(5))
        let group = ServiceGroup(services: process.services + [client], logger: .quiet)
        let echo = Alpha_Echo_V1_Echo.Client(wrapping: client.client)
        func say() async throws -> Int64 {
            try await ForwardedUserToken.$current.withValue(await identity.accessToken(for: "alice")) {
                try await echo.say(.with { $0.text = "hi" }).timesSaid
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            let health = Grpc_Health_V1_Health.Client(wrapping: client.client)
            // Named by the generated service itself: nobody listed it.
            let status = try await health.check(
                .with { $0.service = Alpha_Echo_V1_Echo.descriptor.fullyQualifiedService })
            #expect(status.status == .serving)
            #expect(try await say() == 1)

            try await cutDatabase(off: true)
            let error = await #expect(throws: RPCError.self) { _ = try await say() }
            #expect(error?.code == .unavailable, "\(String(describing: error))")
            #expect(error.flatMap(ServiceError.init(remote:))?.code == ServiceError.dependencyFailureCode)

            // The database takes connections again: the pool reconnects and the same process serves again.
            try await cutDatabase(off: false)
            let deadline = ContinuousClock.now + .seconds(10)
            var answer: Int64?
            while answer == nil, ContinuousClock.now < deadline {
                answer = try? await say()
                if answer == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(answer == 2)
            await group.triggerGracefulShutdown()
        }
    }

    /// Cuts the test database off (no new connections, every existing one killed, as in an outage) or lets it
    /// take connections again.
    func cutDatabase(off: Bool) async throws {
        let name = try await Self.database.value.name
        // A database name cannot be a bind parameter; the test database's name is `alpha_test_<hex>`.
        #expect(name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" })
        try await withPostgresClient(TestPostgres.serverSettings().clientConfiguration, logger: logger) { admin in
            _ = try await admin.query(
                PostgresQuery(unsafeSQL: "ALTER DATABASE \(name) ALLOW_CONNECTIONS \(off ? "false" : "true")"),
                logger: logger
            ).collect()
            guard off else { return }
            _ = try await admin.query(
                """
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = \(name) AND pid <> pg_backend_pid()
                """,
                logger: logger
            ).collect()
        }
    }
}
