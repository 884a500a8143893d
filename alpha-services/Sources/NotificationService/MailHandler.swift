import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaDomain
import Foundation
import GRPCCore

/// `alpha.notification.v1.Mail`: accepts mails from other services into the durable outbox.
///
/// The mail is stored before the call answers; the ``MailDeliveryWorker`` sends it later. A repeated call
/// with the same `mail_id` stores nothing new and answers the same. Only services may call it.
public struct MailHandler {
    private let outbox: any MailOutbox
    private let metrics: MailMetrics

    public init(outbox: any MailOutbox, metrics: MailMetrics = MailMetrics()) {
        self.outbox = outbox
        self.metrics = metrics
    }
}

extension MailHandler: Alpha_Notification_V1_Mail.SimpleServiceProtocol {
    public func sendMail(
        request: Alpha_Notification_V1_SendMailRequest,
        context: ServerContext
    ) async throws -> Alpha_Notification_V1_SendMailResponse {
        try Caller.requireService()
        guard let id = UUID(uuidString: request.mailID) else {
            throw ServiceError(.invalidArgument, code: ErrorCode.badRequest.code, message: "mail_id must be a UUID")
        }
        guard let kind = MailKind(request.kind) else {
            throw ServiceError(.invalidArgument, code: ErrorCode.badRequest.code, message: "unknown mail kind")
        }
        guard ValidationRules.isValidEmail(request.toAddress) else {
            throw ServiceError(.invalidArgument, code: ErrorCode.badRequest.code, message: "bad recipient address")
        }
        let stored = try await outbox.enqueue(
            OutgoingMail(
                id: id,
                kind: kind.rawValue,
                toAddress: request.toAddress,
                username: request.username,
                code: request.code
            )
        )
        if stored {
            metrics.queued(kind)
        }
        return .with { $0.mailID = id.uuidString.lowercased() }
    }
}
