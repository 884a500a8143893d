import Foundation
import Logging
import PostgresNIO

/// ``UserRepository`` on the `user_service` schema (the connection's search_path).
public struct PostgresUserRepository: UserRepository {
    private let client: PostgresClient
    private let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func activationState(of username: String) async throws -> Bool? {
        let rows = try await client.query(
            "SELECT activated_at IS NOT NULL FROM users WHERE username = \(username)",
            logger: logger
        )
        for try await activated in rows.decode(Bool.self) {
            return activated
        }
        return nil
    }
}
