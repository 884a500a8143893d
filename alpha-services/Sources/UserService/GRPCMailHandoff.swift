import AlphaContracts
import Foundation
import GRPCCore

/// ``MailHandoff`` over the notification service's `alpha.notification.v1.Mail` RPC.
///
/// Generic over the transport: HTTP/2 in the process, the in-process transport in tests. The client
/// must carry the service credential (the kit's clients do). Every mail gets a fresh id, the idempotency
/// key the outbox de-duplicates on.
///
/// ```swift
/// let mail = GRPCMailHandoff(client: try process.addGRPCClient(urlKey: "notification.service.url",
///                                                              defaultTarget: "127.0.0.1:50053"))
/// ```
public struct GRPCMailHandoff<Transport: ClientTransport>: MailHandoff {
    private let client: Alpha_Notification_V1_Mail.Client<Transport>

    public init(client: GRPCClient<Transport>) {
        self.client = Alpha_Notification_V1_Mail.Client(wrapping: client)
    }

    public func handOff(_ mail: AccountMail) async throws {
        let request = Alpha_Notification_V1_SendMailRequest.with {
            $0.mailID = UUID().uuidString.lowercased()
            $0.kind = mail.kind.wireKind
            $0.toAddress = mail.toAddress
            $0.username = mail.username
            $0.code = mail.code
        }
        do {
            _ = try await client.sendMail(request)
        } catch {
            // Whatever the notification service answered (even one of its catalog errors) is an internal
            // failure for the caller of the user service: wrap it so it is logged and answered `internal`
            // instead of leaking the other service's code to the gateway.
            throw MailHandoffError(kind: mail.kind, underlying: error)
        }
    }
}

/// The notification service did not accept a mail.
public struct MailHandoffError: Error, CustomStringConvertible {
    public var kind: AccountMail.Kind
    public var underlying: any Error

    public var description: String {
        "mail hand-off (\(kind)) failed: \(String(reflecting: underlying))"
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
