import Foundation
import Logging
import PostgresNIO

/// A mail accepted for delivery.
public struct OutgoingMail: Sendable, Hashable {
    public var id: UUID
    public var kind: String
    public var toAddress: String
    public var username: String
    public var code: String

    public init(id: UUID, kind: String, toAddress: String, username: String, code: String) {
        self.id = id
        self.kind = kind
        self.toAddress = toAddress
        self.username = username
        self.code = code
    }
}

/// Durable storage of mails waiting for delivery.
public protocol MailOutbox: Sendable {
    /// Stores `mail` unless a mail with its id is already stored (idempotent per id).
    ///
    /// - Returns: `true` when this call stored the mail, `false` when its id was already there.
    @discardableResult
    func enqueue(_ mail: OutgoingMail) async throws -> Bool
}

/// ``MailOutbox`` on the `notification_service` schema.
public struct PostgresMailOutbox: MailOutbox {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    @discardableResult
    public func enqueue(_ mail: OutgoingMail) async throws -> Bool {
        let inserted = try await client.query(
            """
            INSERT INTO mail_outbox (mail_id, kind, to_address, username, code)
            VALUES (\(mail.id), \(mail.kind), \(mail.toAddress), \(mail.username), \(mail.code))
            ON CONFLICT (mail_id) DO NOTHING
            RETURNING mail_id
            """,
            logger: logger
        ).collect()
        return !inserted.isEmpty
    }
}
