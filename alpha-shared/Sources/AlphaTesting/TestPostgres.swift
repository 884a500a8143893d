import AlphaCore
import AlphaPostgres
import Foundation
import Logging
import PostgresNIO

/// A real PostgreSQL server for tests, and a fresh database per suite on it.
///
/// The server comes from `ALPHA_TEST_POSTGRES_HOST` (default `127.0.0.1`), `_PORT` (5434), `_USER`
/// (`alpha_test`), `_PASSWORD` (`alpha_test`) and `_DB` (the maintenance database, `postgres`) — what
/// `make test` starts. There is no skipping: when the server cannot be reached the test fails with a
/// message saying how to start it.
///
/// ```swift
/// let database = try await TestPostgres.createDatabase()
/// let settings = database.settings(schema: "user_service")
/// ```
public enum TestPostgres {
    /// Connection settings of the test server's maintenance database.
    public static func serverSettings(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> PostgresSettings
    {
        PostgresSettings(
            host: environment["ALPHA_TEST_POSTGRES_HOST"] ?? "127.0.0.1",
            port: environment["ALPHA_TEST_POSTGRES_PORT"].flatMap(Int.init) ?? 5434,
            database: environment["ALPHA_TEST_POSTGRES_DB"] ?? "postgres",
            user: environment["ALPHA_TEST_POSTGRES_USER"] ?? "alpha_test",
            password: environment["ALPHA_TEST_POSTGRES_PASSWORD"] ?? "alpha_test",
            schema: "public",
            poolSize: 2
        )
    }

    /// Creates an empty database with a unique name and returns it.
    public static func createDatabase(logger: Logger = Logger(label: "alpha-test-postgres")) async throws
        -> TestDatabase
    {
        let server = serverSettings()
        let name = "alpha_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        do {
            try await runOnServer(server, "CREATE DATABASE \(name)", logger: logger)
        } catch {
            throw TestPostgresUnavailable(
                message: """
                    cannot create a test database on PostgreSQL at \(server.host):\(server.port) as \(server.user) \
                    (\(String(reflecting: error))). Run the suites through `make test`, which starts the test \
                    server, or point ALPHA_TEST_POSTGRES_* at one.
                    """
            )
        }
        return TestDatabase(name: name, server: server)
    }
}

/// Runs one statement on the server's maintenance database over a single plain connection (not a
/// pool, so an unreachable server fails at once instead of retrying).
func runOnServer(_ server: PostgresSettings, _ sql: String, logger: Logger) async throws {
    let connection = try await PostgresConnection.connect(
        configuration: PostgresConnection.Configuration(
            host: server.host,
            port: server.port,
            username: server.user,
            password: server.password,
            database: server.database,
            tls: .disable
        ),
        id: 1,
        logger: logger
    )
    do {
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        try await connection.close()
    } catch {
        try? await connection.close()
        throw error
    }
}

/// The test PostgreSQL server could not be used.
public struct TestPostgresUnavailable: Error, CustomStringConvertible {
    /// Why the test server cannot be used, and what to set.
    public var message: String
    /// The message.
    public var description: String { message }
}

/// One fresh database on the test server.
public struct TestDatabase: Sendable {
    /// The database name (`alpha_test_…`).
    public let name: String
    let server: PostgresSettings

    /// Settings that connect to this database with `search_path` set to `schema`.
    public func settings(schema: String, poolSize: Int = 5) -> PostgresSettings {
        var settings = server
        settings.database = name
        settings.schema = schema
        settings.poolSize = poolSize
        return settings
    }

    /// Drops the database, disconnecting whoever still uses it; call when the suite is done.
    public func drop(logger: Logger = Logger(label: "alpha-test-postgres")) async throws {
        try await runOnServer(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)", logger: logger)
    }

    /// The environment variables a service process needs to use this database.
    public func environment(schema: String) -> [String: String] {
        [
            "POSTGRES_HOST": server.host, "POSTGRES_PORT": "\(server.port)", "POSTGRES_DB": name,
            "POSTGRES_USER": server.user, "POSTGRES_PASSWORD": server.password, "POSTGRES_SCHEMA": schema,
            "POSTGRES_POOL_SIZE": "4",
        ]
    }
}
