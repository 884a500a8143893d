import AlphaCore
import Logging
import NIOSSL
import PostgresNIO

/// How a service reaches its PostgreSQL schema.
///
/// Configuration keys: `POSTGRES_HOST` (default `127.0.0.1`), `POSTGRES_PORT` (5433),
/// `POSTGRES_DB` (`alpha`), `POSTGRES_USER` (default: the schema name), `POSTGRES_PASSWORD` (required,
/// secret), `POSTGRES_SCHEMA` (default: the service's schema), `POSTGRES_POOL_SIZE` (8),
/// `POSTGRES_TLS` (`disable` | `prefer` | `require`, default `disable`),
/// `POSTGRES_STATEMENT_TIMEOUT_SECONDS` (10: the server cancels a statement running longer; 0 = none),
/// `POSTGRES_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS` (15: the server ends a session idle inside a
/// transaction longer; 0 = none), `POSTGRES_ACQUIRE_TIMEOUT_SECONDS` (1: the longest an availability
/// probe waits for a connection and its answer before the database counts as unavailable, see
/// ``PostgresAvailability``). `addPostgres` gives the pool `POSTGRES_POOL_SIZE − 1` connections (at least
/// one): the last is the availability monitor's own.
///
/// The connection's `search_path` is set to the schema, so queries name tables without a prefix; the two
/// server-side timeouts are sent as start-up parameters of every pooled connection (migrations run
/// without them).
public struct PostgresSettings: Sendable {
    /// TLS modes for the connection.
    public enum TLSMode: String, CaseIterable, Sendable {
        case disable, prefer, require
    }

    /// Server host (`POSTGRES_HOST`).
    public var host: String
    /// Server port (`POSTGRES_PORT`).
    public var port: Int
    /// Database name (`POSTGRES_DB`).
    public var database: String
    /// Login role (`POSTGRES_USER`).
    public var user: String
    /// The role's password (`POSTGRES_PASSWORD`, secret).
    public var password: String
    /// The schema the service owns: `search_path` and migrations (`POSTGRES_SCHEMA`).
    public var schema: String
    /// Maximum pooled connections (`POSTGRES_POOL_SIZE`).
    public var poolSize: Int
    /// TLS mode (`POSTGRES_TLS`).
    public var tls: TLSMode
    /// `statement_timeout` of every pooled connection (`.zero` = none).
    public var statementTimeout: Duration
    /// `idle_in_transaction_session_timeout` of every pooled connection (`.zero` = none).
    public var idleInTransactionTimeout: Duration
    /// How long the availability probe may wait for a connection and `SELECT 1`.
    public var acquireTimeout: Duration

    /// Settings from explicit values.
    public init(
        host: String,
        port: Int,
        database: String,
        user: String,
        password: String,
        schema: String,
        poolSize: Int = 8,
        tls: TLSMode = .disable,
        statementTimeout: Duration = .seconds(10),
        idleInTransactionTimeout: Duration = .seconds(15),
        acquireTimeout: Duration = .seconds(1)
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.user = user
        self.password = password
        self.schema = schema
        self.poolSize = poolSize
        self.tls = tls
        self.statementTimeout = statementTimeout
        self.idleInTransactionTimeout = idleInTransactionTimeout
        self.acquireTimeout = acquireTimeout
    }

    /// Reads the settings; `defaultSchema` is the service's own schema (`user_service`).
    public init(settings: Settings, defaultSchema: String) throws(ConfigurationError) {
        let schema = settings.string("postgres.schema", default: defaultSchema)
        guard schema.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !schema.isEmpty else {
            throw .malformed(variable: "POSTGRES_SCHEMA", value: schema, expected: "a plain identifier")
        }
        self.init(
            host: settings.string("postgres.host", default: "127.0.0.1"),
            port: try settings.port("postgres.port", default: 5433),
            database: settings.string("postgres.db", default: "alpha"),
            user: settings.string("postgres.user", default: schema),
            password: try settings.requiredString("postgres.password", isSecret: true),
            schema: schema,
            poolSize: try settings.int("postgres.pool.size", default: 8, range: 1...500),
            tls: try settings.choice("postgres.tls", default: TLSMode.disable),
            statementTimeout: try Self.timeout(settings, "postgres.statement.timeout.seconds", default: .seconds(10)),
            idleInTransactionTimeout: try Self.timeout(
                settings, "postgres.idle.in.transaction.timeout.seconds", default: .seconds(15)),
            acquireTimeout: try settings.seconds("postgres.acquire.timeout.seconds", default: .seconds(1))
        )
    }

    /// A number of seconds where `0` means "no timeout".
    private static func timeout(_ settings: Settings, _ key: String, default value: Duration) throws(ConfigurationError)
        -> Duration
    {
        if settings.optionalString(key) == "0" { return .zero }
        return try settings.seconds(key, default: value)
    }

    /// The postgres-nio client configuration, with `search_path` set to ``schema`` and the server-side
    /// timeouts.
    public var clientConfiguration: PostgresClient.Configuration {
        var configuration = migrationClientConfiguration
        configuration.options.additionalStartupParameters += [
            ("statement_timeout", "\(statementTimeout.wholeMilliseconds)"),
            ("idle_in_transaction_session_timeout", "\(idleInTransactionTimeout.wholeMilliseconds)"),
        ]
        return configuration
    }

    /// The client configuration for migrations: like ``clientConfiguration`` but without the server-side
    /// timeouts (a migration may rewrite a large table).
    public var migrationClientConfiguration: PostgresClient.Configuration {
        let tlsConfiguration: PostgresClient.Configuration.TLS =
            switch tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        var configuration = PostgresClient.Configuration(
            host: host,
            port: port,
            username: user,
            password: password,
            database: database,
            tls: tlsConfiguration
        )
        configuration.options.maximumConnections = poolSize
        configuration.options.additionalStartupParameters = [("search_path", schema)]
        return configuration
    }
}

extension PostgresSettings {
    /// The configuration of ``PostgresAvailability``'s own monitor connection: the pooled connections'
    /// target, credentials, TLS and `search_path`, without the statement timeouts.
    public func monitorConfiguration() throws -> PostgresConnection.Configuration {
        let tlsConfiguration: PostgresConnection.Configuration.TLS =
            switch tls {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tlsConfiguration)
        configuration.options.additionalStartupParameters = [("search_path", schema)]
        return configuration
    }
}

extension PostgresClient {
    /// Whether a `SELECT 1` succeeds; for readiness checks.
    public func ping(logger: Logger) async -> Bool {
        do {
            let rows = try await query("SELECT 1", logger: logger)
            for try await _ in rows {}
            return true
        } catch {
            return false
        }
    }
}

/// Runs a short-lived client around `body` (for migrations and tests), then shuts it down.
public func withPostgresClient<T: Sendable>(
    _ configuration: PostgresClient.Configuration,
    logger: Logger,
    _ body: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(client)
    }
}

extension ProcessAssembly {
    /// Connects to the service's schema: reads the `POSTGRES_*` settings now, schedules its migrations as a
    /// start-up step (applied under the advisory lock once every setting of the process has been read, see
    /// ``ProcessAssembly/startupSteps``), then adds a pooled client to the process, its
    /// ``PostgresAvailability`` monitor (registered in ``ProcessAssembly/dependencies``: connection-level
    /// failures answer `unavailable` in every RPC) and a `postgres` readiness check. Returns the client.
    ///
    /// ```swift
    /// let postgres = try process.addPostgres(defaultSchema: "user_service", migrations: migrations)
    /// ```
    public mutating func addPostgres(defaultSchema: String, migrations: [Migration]) throws -> PostgresClient {
        let database = try PostgresSettings(settings: settings, defaultSchema: defaultSchema)
        let logger = self.logger
        let runner = MigrationRunner(schema: database.schema, migrations: migrations, logger: logger)
        beforeStart("postgres migrations") {
            let applied = try await withPostgresClient(database.migrationClientConfiguration, logger: logger) {
                client in
                try await runner.run(on: client)
            }
            logger.info(
                "database ready",
                metadata: ["schema": "\(database.schema)", "migrations_applied": "\(applied.count)"]
            )
        }
        // One of the POSTGRES_POOL_SIZE connections is the availability monitor's own.
        var configuration = database.clientConfiguration
        configuration.options.maximumConnections = max(1, database.poolSize - 1)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        add(client)
        let availability = PostgresAvailability(
            client: client,
            monitor: try database.monitorConfiguration(),
            acquireTimeout: database.acquireTimeout,
            logger: logger
        )
        add(availability)
        dependencies.register(gate: availability.gate, translator: availability.translator)
        readiness.addCheck("postgres") { availability.gate.isAvailable }
        return client
    }
}
