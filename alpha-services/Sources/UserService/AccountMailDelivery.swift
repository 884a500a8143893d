import AlphaContracts
import AlphaOutbox
import Foundation
import GRPCCore
import NotificationOutbox

/// Delivers the account mails of the user service's outbox to the notification service's
/// `alpha.notification.v1.Mail/SendMail`, with the outbox message's stable id as `mail_id`.
///
/// The notification service stores each `mail_id` once, so a mail delivered again (a retry after a lost
/// answer, a relay whose lease ran out) is stored and sent once. Generic over the transport: HTTP/2 in the
/// process, the in-process transport in tests. The client must carry the service credential (the kit's
/// clients do).
///
/// ```swift
/// let notification = try process.addGRPCClient(urlKey: "notification.service.url", defaultTarget: "127.0.0.1:50053")
/// try process.addOutboxRelay(client: postgres, topics: [AccountMailDelivery(client: notification).topic])
/// ```
public struct AccountMailDelivery<Transport: ClientTransport>: Sendable {
    private let client: Alpha_Notification_V1_Mail.Client<Transport>

    public init(client: GRPCClient<Transport>) {
        self.client = Alpha_Notification_V1_Mail.Client(wrapping: client)
    }

    /// The outbox topic that delivers ``AccountMail/outboxTopic`` messages through this client.
    public var topic: OutboxTopic {
        OutboxTopic(AccountMail.outboxTopic) { message in try await deliver(message) }
    }

    /// Hands one outbox message to the notification service; returns once it stored the mail.
    ///
    /// Throws ``OutboxPermanentFailure`` when the message cannot be a mail or the notification service
    /// rejects it as invalid (retrying cannot help); any other failure (down, slow, misconfigured
    /// credential) is retried by the relay.
    public func deliver(_ message: OutboxMessage) async throws {
        try await OutboxRequestDelivery.deliver(
            message, as: Alpha_Notification_V1_SendMailRequest.self, idempotencyKey: \.mailID
        ) { request in
            _ = try await client.sendMail(request)
        }
    }
}

extension AccountMail {
    /// The outbox topic of account mails.
    public static let outboxTopic = "user.account_mail"

    /// The `SendMail` request for this mail, without its `mail_id` (the outbox message id fills it in).
    var sendMailRequest: Alpha_Notification_V1_SendMailRequest {
        .with {
            $0.kind = kind.wireKind
            $0.toAddress = toAddress
            $0.username = username
            $0.code = code
        }
    }
}

extension AccountMail.Kind {
    var wireKind: Alpha_Notification_V1_MailKind {
        switch self {
        case .activationCode: .activationCode
        case .passwordResetCode: .passwordResetCode
        case .welcome: .welcome
        }
    }
}
