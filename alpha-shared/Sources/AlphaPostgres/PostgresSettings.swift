import AlphaCore
import Logging
import NIOSSL
import PostgresNIO

/// How a service reaches its PostgreSQL schema.
///
/// Configuration keys: `POSTGRES_HOST` (default `127.0.0.1`), `POSTGRES_PORT` (5433),
/// `POSTGRES_DB` (`alpha`), `POSTGRES_USER` (default: the schema name), `POSTGRES_PASSWORD` (required,
/// secret), `POSTGRES_SCHEMA` (default: the service's schema), `POSTGRES_POOL_SIZE` (20),
/// `POSTGRES_TLS` (`disable` | `prefer` | `require`, default `disable`).
///
/// The connection's `search_path` is set to the schema, so queries name tables without a prefix.
public struct PostgresSettings: Sendable {
    /// TLS modes for the connection.
    public enum TLSMode: String, CaseIterable, Sendable {
        case disable, prefer, require
    }

    public var host: String
    public var port: Int
    public var database: String
    public var user: String
    public var password: String
    public var schema: String
    public var poolSize: Int
    public var tls: TLSMode

    public init(
        host: String,
        port: Int,
        database: String,
        user: String,
        password: String,
        schema: String,
        poolSize: Int = 20,
        tls: TLSMode = .disable
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.user = user
        self.password = password
        self.schema = schema
        self.poolSize = poolSize
        self.tls = tls
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
            poolSize: try settings.int("postgres.pool.size", default: 20, range: 1...500),
            tls: try settings.choice("postgres.tls", default: TLSMode.disable)
        )
    }

    /// The postgres-nio client configuration, with `search_path` set to ``schema``.
    public var clientConfiguration: PostgresClient.Configuration {
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
    /// Connects to the service's schema: applies its migrations (under the advisory lock), then adds a
    /// pooled client to the process and a `postgres` readiness check. Returns the client.
    ///
    /// ```swift
    /// let postgres = try await process.addPostgres(defaultSchema: "user_service", migrations: migrations)
    /// ```
    public mutating func addPostgres(defaultSchema: String, migrations: [Migration]) async throws -> PostgresClient {
        let database = try PostgresSettings(settings: settings, defaultSchema: defaultSchema)
        let logger = self.logger
        let runner = MigrationRunner(schema: database.schema, migrations: migrations, logger: logger)
        let applied = try await withPostgresClient(database.clientConfiguration, logger: logger) { client in
            try await runner.run(on: client)
        }
        logger.info(
            "database ready",
            metadata: ["schema": "\(database.schema)", "migrations_applied": "\(applied.count)"]
        )
        let client = PostgresClient(configuration: database.clientConfiguration, backgroundLogger: logger)
        add(client)
        readiness.addCheck("postgres") { await client.ping(logger: logger) }
        return client
    }
}
