import Logging

/// The log transport (`MAIL_TRANSPORT=log`, or no `MAILGUN_API_KEY` in development): writes each mail to
/// the process log instead of sending it, and reports it sent.
///
/// The line is logged at `notice` with the message ``logMessage`` and the metadata `mail.id`, `mail.kind`
/// and `mail.subject`. In development (`logsContent`) it also carries `mail.from`, `mail.to`, `mail.code`
/// (code mails only) and `mail.text`, so a developer (or an end-to-end test) can read the code from
/// `.data/logs/notification-service.log`; elsewhere codes, texts and addresses never reach the log.
public struct LogMailSender: MailSender {
    public var name: String { "log" }

    /// The message of the log line that carries a mail.
    public static let logMessage = "mail not sent (MAIL_TRANSPORT=log)"

    private let logger: Logger
    private let logsContent: Bool

    /// `logsContent`: whether the code and the text are logged too (development only).
    public init(logger: Logger, logsContent: Bool) {
        self.logger = logger
        self.logsContent = logsContent
    }

    public func send(_ message: MailMessage) async -> MailSendOutcome {
        var metadata: Logger.Metadata = [
            "mail.id": "\(message.id.uuidString.lowercased())",
            "mail.kind": "\(message.kind.rawValue)",
            "mail.subject": "\(message.subject)",
        ]
        if logsContent {
            metadata["mail.from"] = "\(message.from)"
            metadata["mail.to"] = "\(message.to)"
            metadata["mail.text"] = "\(message.text)"
            if !message.code.isEmpty {
                metadata["mail.code"] = "\(message.code)"
            }
        }
        logger.notice("\(Self.logMessage)", metadata: metadata)
        return .sent(providerID: nil)
    }
}
