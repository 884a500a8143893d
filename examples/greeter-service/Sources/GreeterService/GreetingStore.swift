import AlphaCore
import AlphaPostgres
import Logging
import PostgresNIO

/// Where the greeter keeps its counts.
public protocol GreetingStore: Sendable {
    /// Records one more greeting of `username`; returns how many times they have been greeted.
    func recordGreeting(of username: String) async throws -> Int
}

/// The `greetings` table in the service's own schema (the connection's `search_path`).
public struct PostgresGreetingStore: GreetingStore {
    private let client: PostgresClient
    private let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func recordGreeting(of username: String) async throws -> Int {
        let rows = try await client.query(
            """
            INSERT INTO greetings AS g (username, times_greeted) VALUES (\(username), 1)
            ON CONFLICT (username) DO UPDATE SET times_greeted = g.times_greeted + 1
            RETURNING times_greeted
            """,
            logger: logger
        )
        for try await timesGreeted in rows.decode(Int.self) {
            return timesGreeted
        }
        throw ServiceError(.internal, code: "ERR-009", message: "upsert into greetings returned no row")
    }
}

/// The greeter's migrations: `Migrations/NNNN_name.sql`, shipped as a resource of this target.
public enum GreeterServiceMigrations {
    public static func all() throws -> [Migration] {
        try Migration.load(bundle: .module)
    }
}
