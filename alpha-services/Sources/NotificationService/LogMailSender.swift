import Logging

/// The development sender, used when `MAILGUN_API_KEY` is unset: writes each mail — code included — to the
/// process log instead of sending it, and reports it sent.
///
/// The line is logged at `notice` with the message ``logMessage`` and the metadata `mail.id`, `mail.kind`,
/// `mail.to`, `mail.subject`, `mail.code` (code mails only) and `mail.text`, so a developer (or an
/// end-to-end test) can read the code from `.data/logs/notification-service.log`.
public struct LogMailSender: MailSender {
    public var name: String { "log" }

    /// The message of the log line that carries a mail.
    public static let logMessage = "mail not sent (MAILGUN_API_KEY is unset); its content follows"

    private let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func send(_ message: MailMessage) async -> MailSendOutcome {
        var metadata: Logger.Metadata = [
            "mail.id": "\(message.id.uuidString.lowercased())",
            "mail.kind": "\(message.kind.rawValue)",
            "mail.from": "\(message.from)",
            "mail.to": "\(message.to)",
            "mail.subject": "\(message.subject)",
            "mail.text": "\(message.text)",
        ]
        if !message.code.isEmpty {
            metadata["mail.code"] = "\(message.code)"
        }
        logger.notice("\(Self.logMessage)", metadata: metadata)
        return .sent(providerID: nil)
    }
}
