import AlphaOutbox
import Foundation
import ImageOutbox
import Logging
import PostgresNIO

/// ``AccountTransaction`` on one connection inside an open transaction.
struct PostgresAccountTransaction: AccountTransaction {
    let connection: PostgresConnection
    let outbox: Outbox
    let logger: Logger

    func conflict(username: String, email: String) async throws -> AccountConflict? {
        let rows = try await connection.query(
            "SELECT username = \(username) FROM users WHERE username = \(username) OR email = \(email)",
            logger: logger
        )
        var conflict: AccountConflict?
        for try await usernameMatches in rows.decode(Bool.self) {
            if usernameMatches { return .username }
            conflict = .email
        }
        return conflict
    }

    func insertAccount(_ account: NewAccount) async throws {
        do {
            _ = try await connection.query(
                """
                INSERT INTO users (username, nickname, email, password, status,
                                   picture_url, picture_width, picture_height, picture_version, created_at, expires_at)
                VALUES (\(account.username), \(account.nickname), \(account.email), \(account.passwordHash), '',
                        \(account.picture.url), \(account.picture.width), \(account.picture.height),
                        \(account.pictureVersion), \(account.createdAt), \(account.expiresAt))
                """,
                logger: logger
            ).collect()
            if let uploadID = account.pictureUploadID {
                // The account's save is the picture's commit point (issue 7): the relay applies it.
                try await PictureChanges.enqueueCommit(
                    uploadID: uploadID, kind: .profile, owner: account.username, version: account.pictureVersion,
                    outbox: outbox, on: connection, logger: logger)
            }
        } catch {
            // A concurrent registration committed first (the pre-check could not see it yet).
            if PostgresErrors.isUniqueViolation(error, of: "users_pkey") { throw AccountConflict.username }
            if PostgresErrors.isUniqueViolation(error, of: "email_uq") { throw AccountConflict.email }
            throw error
        }
    }

    func lockAccount(_ username: String) async throws -> AccountState? {
        let rows = try await connection.query(
            "SELECT email, activated_at IS NOT NULL FROM users WHERE username = \(username) FOR UPDATE",
            logger: logger
        )
        for try await (email, activated) in rows.decode((String, Bool).self) {
            return AccountState(username: username, email: email, isActivated: activated)
        }
        return nil
    }

    func code(of username: String, purpose: CodePurpose) async throws -> StoredCode? {
        let rows = try await connection.query(
            """
            SELECT code, expires_at, attempts FROM codes
            WHERE username = \(username) AND purpose = \(purpose.rawValue)::code_purpose
            """,
            logger: logger
        )
        for try await (code, expiresAt, attempts) in rows.decode((String, Date, Int).self) {
            return StoredCode(code: code, expiresAt: expiresAt, attempts: attempts)
        }
        return nil
    }

    func storeCode(_ code: String, purpose: CodePurpose, for username: String, expiresAt: Date) async throws {
        _ = try await connection.query(
            """
            INSERT INTO codes (username, purpose, code, expires_at, attempts)
            VALUES (\(username), \(purpose.rawValue)::code_purpose, \(code), \(expiresAt), 0)
            ON CONFLICT (username, purpose)
            DO UPDATE SET code = EXCLUDED.code, expires_at = EXCLUDED.expires_at, attempts = 0
            """,
            logger: logger
        ).collect()
    }

    func recordWrongCode(purpose: CodePurpose, for username: String, maxAttempts: Int) async throws {
        let rows = try await connection.query(
            """
            UPDATE codes SET attempts = attempts + 1
            WHERE username = \(username) AND purpose = \(purpose.rawValue)::code_purpose
            RETURNING attempts
            """,
            logger: logger
        )
        var attempts = 0
        for try await value in rows.decode(Int.self) {
            attempts = value
        }
        if attempts >= maxAttempts {
            try await deleteCode(purpose: purpose, for: username)
        }
    }

    func deleteCode(purpose: CodePurpose, for username: String) async throws {
        _ = try await connection.query(
            "DELETE FROM codes WHERE username = \(username) AND purpose = \(purpose.rawValue)::code_purpose",
            logger: logger
        ).collect()
    }

    func markActivated(_ username: String, at date: Date) async throws {
        _ = try await connection.query(
            "UPDATE users SET activated_at = \(date) WHERE username = \(username)",
            logger: logger
        ).collect()
    }

    func setPasswordHash(_ hash: String, for username: String) async throws {
        _ = try await connection.query(
            """
            WITH revoked AS (DELETE FROM refresh_tokens WHERE username = \(username))
            UPDATE users SET password = \(hash), failed_logins = 0, failed_logins_since = NULL,
                token_version = token_version + 1
            WHERE username = \(username)
            """,
            logger: logger
        ).collect()
    }

    func enqueueMail(_ mail: AccountMail) async throws {
        try await outbox.enqueue(
            topic: AccountMail.outboxTopic,
            payload: try mail.sendMailRequest.serializedBytes() as [UInt8],
            on: connection,
            logger: logger
        )
    }
}
