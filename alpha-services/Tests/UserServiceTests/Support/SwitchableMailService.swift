import AlphaContracts
import GRPCCore
import NotificationService

/// The real notification `MailHandler` (with its PostgreSQL outbox), unless `outage` is on: then every
/// mail is refused, as when the notification service is down. `observe` sees every request first.
struct SwitchableMailService: Alpha_Notification_V1_Mail.SimpleServiceProtocol {
    let handler: MailHandler
    let outage: Shared<Bool>
    let observe: @Sendable (Alpha_Notification_V1_SendMailRequest) async -> Void

    func sendMail(
        request: Alpha_Notification_V1_SendMailRequest,
        context: ServerContext
    ) async throws -> Alpha_Notification_V1_SendMailResponse {
        await observe(request)
        if outage.value {
            throw RPCError(code: .unavailable, message: "mail outbox unavailable (test outage)")
        }
        return try await handler.sendMail(request: request, context: context)
    }
}
