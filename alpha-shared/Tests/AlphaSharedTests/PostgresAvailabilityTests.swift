import AlphaAuth
import AlphaCore
import AlphaGRPC
import AlphaPostgres
import AlphaTesting
import GRPCCore
import GRPCInProcessTransport
import Logging
import PostgresNIO
import Testing

/// A service whose database is down answers `unavailable` (ERR-009) at once, for every service, from the kit.
@Suite("PostgreSQL availability: gate, translator, probe")
struct PostgresAvailabilityTests {
    static let database = Task { try await TestPostgres.createDatabase() }
    let identity = TestIdentity()
    let logger = Logger(label: "availability-tests")

    /// The echo service on `postgres`, with the availability monitor `addPostgres` would add.
    func withEcho(
        postgres: PostgresClient,
        monitor: PostgresConnection.Configuration? = nil,
        acquireTimeout: Duration = .milliseconds(300),
        upInterval: Duration = .milliseconds(250),
        _ body:
            @Sendable (Alpha_Echo_V1_Echo.Client<InProcessTransport.Client>, PostgresAvailability) async throws
            -> Void
    ) async throws {
        let availability = PostgresAvailability(
            client: postgres, monitor: monitor, acquireTimeout: acquireTimeout, upInterval: upInterval, logger: logger)
        let dependencies = Dependencies()
        dependencies.register(gate: availability.gate, translator: availability.translator)
        let handler = EchoHandler(store: PostgresEchoStore(client: postgres, logger: logger), maxTextLength: 10)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await availability.run() }
            defer { group.cancelAll() }
            try await withInProcessServer(
                services: [handler],
                identity: identity,
                logger: logger,
                dependencies: dependencies
            ) { client in
                try await body(Alpha_Echo_V1_Echo.Client(wrapping: client), availability)
            }
        }
    }

    func say(_ echo: Alpha_Echo_V1_Echo.Client<InProcessTransport.Client>) async throws -> Int64 {
        try await ForwardedUserToken.$current.withValue(await identity.accessToken(for: "alice")) {
            try await echo.say(.with { $0.text = "hi" }).timesSaid
        }
    }

    func expectUnavailable(
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> Int64
    ) async {
        let error = await #expect(throws: RPCError.self, sourceLocation: sourceLocation) { _ = try await body() }
        #expect(error?.code == .unavailable, "\(String(describing: error))", sourceLocation: sourceLocation)
        #expect(error.flatMap(ServiceError.init(remote:))?.code == "ERR-009", sourceLocation: sourceLocation)
    }

    @Test(
        "unreachable database: a waiting RPC is answered unavailable ERR-009 once the probe fails, later ones at once")
    func unreachable() async throws {
        // Nothing listens on port 9 (discard); the pool would wait a minute for its circuit breaker.
        var settings = try await Self.database.value.settings(schema: "echo_service")
        settings.port = 9
        try await withPostgresClient(settings.clientConfiguration, logger: logger) { postgres in
            try await withEcho(postgres: postgres) { echo, availability in
                let started = ContinuousClock.now
                await expectUnavailable { try await say(echo) }
                #expect(ContinuousClock.now - started < .seconds(5))
                #expect(!availability.gate.isAvailable)
                let again = ContinuousClock.now
                await expectUnavailable { try await say(echo) }
                #expect(ContinuousClock.now - again < .milliseconds(500))
            }
        }
    }

    @Test("a statement whose connection the server kills is unavailable and closes the gate; the probe opens it again")
    func killedConnection() async throws {
        let settings = try await Self.database.value.settings(schema: "echo_service", poolSize: 2)
        try await withPostgresClient(settings.clientConfiguration, logger: logger) { postgres in
            try await MigrationRunner(schema: "echo_service", migrations: EchoServiceMigrations.all(), logger: logger)
                .run(on: postgres)
            try await withEcho(postgres: postgres) { echo, availability in
                #expect(try await say(echo) == 1)
                let running = Task {
                    try await postgres.query("SELECT pg_sleep(30)", logger: logger).collect()
                }
                try await Task.sleep(for: .milliseconds(300))
                // Kill the service's connections from outside, as a server restart does.
                try await withPostgresClient(TestPostgres.serverSettings().clientConfiguration, logger: logger) {
                    admin in
                    _ = try await admin.query(
                        """
                        SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                        WHERE datname = \(settings.database) AND pid <> pg_backend_pid()
                        """,
                        logger: logger
                    ).collect()
                }
                let killed = await #expect(throws: (any Error).self) { _ = try await running.value }
                let answer = killed.flatMap(availability.translator.translate)
                #expect(answer?.kind == .unavailable && answer?.code == "ERR-009", "\(String(describing: killed))")
                #expect(!availability.gate.isAvailable)
                await expectUnavailable { try await say(echo) }
                // The probe (every 0.1 s while closed) opens the gate once the pool has a new connection.
                let deadline = ContinuousClock.now + .seconds(5)
                while !availability.gate.isAvailable, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(availability.gate.isAvailable)
                #expect(try await say(echo) == 2)
            }
        }
    }

    @Test(
        "the monitor connection: a server that closes every session closes the gate at once, without a probe or the acquire timeout; RPCs are refused without touching the pool; recovery",
        .timeLimit(.minutes(1)))
    func monitorSeesTheServerGo() async throws {
        // A database of its own: the suite's other tests kill the sessions of theirs.
        let database = try await TestPostgres.createDatabase()
        var settings = database.settings(schema: "echo_service", poolSize: 3)
        try await withPostgresClient(settings.clientConfiguration, logger: logger) { postgres in
            try await MigrationRunner(schema: "echo_service", migrations: EchoServiceMigrations.all(), logger: logger)
                .run(on: postgres)
        }
        let proxy = try await TCPProxy(targetHost: settings.host, targetPort: settings.port)
        settings.port = proxy.port
        let monitor = try settings.monitorConfiguration()
        do {
            // Neither a probe (once a minute) nor its timeout (30 s) can close the gate within the test: only
            // the monitor connection closing can, and only the interceptor can answer while the pool waits.
            try await withPostgresClient(settings.clientConfiguration, logger: logger) { postgres in
                try await withEcho(
                    postgres: postgres, monitor: monitor, acquireTimeout: .seconds(30),
                    upInterval: .seconds(60)
                ) { echo, availability in
                    let before = try await say(echo)
                    await proxy.cut()
                    try await waitUntil { !availability.gate.isAvailable }
                    await expectUnavailable { try await say(echo) }

                    proxy.restore()
                    try await waitUntil { availability.gate.isAvailable }
                    #expect(try await say(echo) == before + 1)
                }
            }
        } catch {
            await proxy.close()
            try? await database.drop()
            throw error
        }
        await proxy.close()
        try await database.drop()
    }

    @Test("a server the monitor cannot reach closes the gate at start, though the pool works and the timeout is 30 s")
    func monitorRefused() async throws {
        let settings = try await Self.database.value.settings(schema: "echo_service")
        var unreachable = settings
        unreachable.port = 9
        let monitor = try unreachable.monitorConfiguration()
        try await withPostgresClient(settings.clientConfiguration, logger: logger) { postgres in
            try await withEcho(
                postgres: postgres, monitor: monitor, acquireTimeout: .seconds(30),
                upInterval: .seconds(60)
            ) { echo, availability in
                try await waitUntil { !availability.gate.isAvailable }
                await expectUnavailable { try await say(echo) }
            }
        }
    }

    @Test("the translator: connection failures → unavailable, statement timeouts → deadlineExceeded, others → nil")
    func translator() async throws {
        let settings = try await Self.database.value.settings(schema: "echo_service")
        var configuration = settings.clientConfiguration
        configuration.options.additionalStartupParameters.append(("statement_timeout", "50"))
        try await withPostgresClient(configuration, logger: logger) { postgres in
            let availability = PostgresAvailability(client: postgres, acquireTimeout: .seconds(1), logger: logger)
            let timeout = await #expect(throws: (any Error).self) {
                _ = try await postgres.query("SELECT pg_sleep(1)", logger: logger).collect()
            }
            #expect(timeout.flatMap(availability.translator.translate)?.kind == .deadlineExceeded)
            let syntax = await #expect(throws: (any Error).self) {
                _ = try await postgres.query("SELEKT 1", logger: logger).collect()
            }
            #expect(syntax.flatMap(availability.translator.translate) == nil)
            #expect(availability.gate.isAvailable)
        }
    }

    @Test(
        "pool exhausted under load: a wait for a connection cut short by its deadline is deadlineExceeded ERR-009 and leaves the gate open"
    )
    func cancelledLease() async throws {
        // A database of its own: `killedConnection` ends every session of the suite's shared one.
        let database = try await TestPostgres.createDatabase()
        do {
            try await expectCancelledLease(database.settings(schema: "echo_service", poolSize: 1))
        } catch {
            try? await database.drop()
            throw error
        }
        try await database.drop()
    }

    func expectCancelledLease(_ settings: PostgresSettings) async throws {
        try await withPostgresClient(settings.clientConfiguration, logger: logger) { postgres in
            let availability = PostgresAvailability(client: postgres, acquireTimeout: .seconds(1), logger: logger)
            let busy = Task { try await postgres.query("SELECT pg_sleep(1)", logger: logger).collect() }
            try await Task.sleep(for: .milliseconds(200))
            // What grpc-swift does to a handler whose deadline passes: cancels its task.
            let waiting = Task { try await postgres.query("SELECT 1", logger: logger).collect() }
            try await Task.sleep(for: .milliseconds(200))
            waiting.cancel()
            let cancelled = await #expect(throws: (any Error).self) { _ = try await waiting.value }
            let answer = cancelled.flatMap(availability.translator.translate)
            #expect(answer?.kind == .deadlineExceeded && answer?.code == "ERR-009", "\(String(describing: cancelled))")
            #expect(cancelled.map(PostgresAvailability.isConnectionFailure) == false)
            #expect(availability.gate.isAvailable, "pool contention is not an outage")
            _ = try await busy.value
        }
    }

    @Test("the settings: statement, idle-in-transaction and acquire timeouts with defaults, 0 = none")
    func settings() throws {
        let defaults = try PostgresSettings(settings: .dictionary(["POSTGRES_PASSWORD": "x"]), defaultSchema: "s")
        #expect(defaults.statementTimeout == .seconds(10) && defaults.idleInTransactionTimeout == .seconds(15))
        #expect(defaults.acquireTimeout == .seconds(1))
        let parameters = defaults.clientConfiguration.options.additionalStartupParameters
        #expect(parameters.contains { $0 == ("statement_timeout", "10000") })
        #expect(parameters.contains { $0 == ("idle_in_transaction_session_timeout", "15000") })
        #expect(
            !defaults.migrationClientConfiguration.options.additionalStartupParameters.contains {
                $0.0 == "statement_timeout"
            })
        let custom = try PostgresSettings(
            settings: .dictionary([
                "POSTGRES_PASSWORD": "x", "POSTGRES_STATEMENT_TIMEOUT_SECONDS": "0",
                "POSTGRES_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS": "2.5", "POSTGRES_ACQUIRE_TIMEOUT_SECONDS": "0.25",
            ]),
            defaultSchema: "s"
        )
        #expect(custom.statementTimeout == .zero && custom.idleInTransactionTimeout == .milliseconds(2500))
        #expect(custom.acquireTimeout == .milliseconds(250))
    }
}
