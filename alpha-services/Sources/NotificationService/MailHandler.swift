import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaDomain
import Foundation
import GRPCCore

/// `alpha.notification.v1.Mail`: accepts mails from other services into the durable outbox.
public struct MailHandler: Alpha_Notification_V1_Mail.SimpleServiceProtocol {
    private let outbox: any MailOutbox

    public init(outbox: any MailOutbox) {
        self.outbox = outbox
    }

    public func sendMail(
        request: Alpha_Notification_V1_SendMailRequest,
        context: ServerContext
    ) async throws -> Alpha_Notification_V1_SendMailResponse {
        try Caller.requireService()
        guard let id = UUID(uuidString: request.mailID) else {
            throw ServiceError(.invalidArgument, code: ErrorCode.badRequest.code, message: "mail_id must be a UUID")
        }
        let kind: String
        switch request.kind {
        case .activationCode: kind = "activation_code"
        case .passwordResetCode: kind = "password_reset_code"
        case .welcome: kind = "welcome"
        default:
            throw ServiceError(.invalidArgument, code: ErrorCode.badRequest.code, message: "unknown mail kind")
        }
        guard ValidationRules.isValidEmail(request.toAddress) else {
            throw ServiceError(.invalidArgument, code: ErrorCode.badRequest.code, message: "bad recipient address")
        }
        try await outbox.enqueue(
            OutgoingMail(id: id, kind: kind, toAddress: request.toAddress, username: request.username, code: request.code)
        )
        return .with { $0.mailID = id.uuidString.lowercased() }
    }
}
