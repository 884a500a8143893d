import AlphaPostgres
import Foundation
import Logging
import PostgresNIO

/// ``SessionRepository`` on the `refresh_tokens` table and `users.token_version`.
public struct PostgresSessionRepository: SessionRepository {
    private let client: PostgresClient
    private let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func startSession(for username: String, tokenID: UUID, now: Date, expiresAt: Date) async throws -> Int64? {
        let rows = try await client.query(
            """
            INSERT INTO refresh_tokens (token_id, username, issued_at, expires_at)
            SELECT \(tokenID), username, \(now), \(expiresAt) FROM users
            WHERE username = \(username) AND activated_at IS NOT NULL
            RETURNING (SELECT token_version FROM users WHERE username = \(username))
            """,
            logger: logger
        )
        for try await version in rows.decode(Int64.self) {
            return version
        }
        return nil
    }

    public func rotate(
        username: String,
        presented: UUID,
        tokenVersion: Int64,
        successor: UUID,
        now: Date,
        retiredBefore: Date,
        expiresAt: Date
    ) async throws -> SessionRotation {
        try await client.transaction(logger: logger) { connection in
            // The user row is locked, so a password change cannot slip between the check and the insert.
            let users = try await connection.query(
                """
                SELECT token_version FROM users
                WHERE username = \(username) AND activated_at IS NOT NULL FOR UPDATE
                """,
                logger: logger
            )
            var current: Int64?
            for try await version in users.decode(Int64.self) { current = version }
            guard let current, current == tokenVersion else { return .refused }

            let tokens = try await connection.query(
                """
                SELECT retired_at, expires_at FROM refresh_tokens
                WHERE token_id = \(presented) AND username = \(username)
                """,
                logger: logger
            )
            var found: (retiredAt: Date?, expiresAt: Date)?
            for try await row in tokens.decode((Date?, Date).self) { found = row }
            guard let found, found.expiresAt > now else { return .refused }
            if let retiredAt = found.retiredAt {
                guard retiredAt > retiredBefore else { return .refused }
            } else {
                _ = try await connection.query(
                    "UPDATE refresh_tokens SET retired_at = \(now) WHERE token_id = \(presented)",
                    logger: logger
                ).collect()
            }
            _ = try await connection.query(
                """
                INSERT INTO refresh_tokens (token_id, username, issued_at, expires_at)
                VALUES (\(successor), \(username), \(now), \(expiresAt))
                """,
                logger: logger
            ).collect()
            // Housekeeping for this user: tokens past their grace or their expiry can never be used again.
            _ = try await connection.query(
                """
                DELETE FROM refresh_tokens
                WHERE username = \(username) AND (expires_at <= \(now) OR retired_at <= \(retiredBefore))
                """,
                logger: logger
            ).collect()
            return .rotated(tokenVersion: current)
        }
    }
}
