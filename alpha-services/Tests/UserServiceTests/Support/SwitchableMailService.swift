import AlphaContracts
import GRPCCore
import NotificationService

/// The real notification `MailHandler` (with its PostgreSQL outbox), unless `outage` is on: then every
/// mail is refused, as when the notification service is down. `delay` makes it slow to answer, which
/// keeps the caller's transaction open (used to make concurrent registrations overlap).
struct SwitchableMailService: Alpha_Notification_V1_Mail.SimpleServiceProtocol {
    let handler: MailHandler
    let outage: Shared<Bool>
    let delay: Shared<Duration>

    func sendMail(
        request: Alpha_Notification_V1_SendMailRequest,
        context: ServerContext
    ) async throws -> Alpha_Notification_V1_SendMailResponse {
        if delay.value > .zero {
            try await Task.sleep(for: delay.value)
        }
        if outage.value {
            throw RPCError(code: .unavailable, message: "mail outbox unavailable (test outage)")
        }
        return try await handler.sendMail(request: request, context: context)
    }
}
