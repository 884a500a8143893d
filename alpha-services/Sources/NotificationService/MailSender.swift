/// Hands a mail to the outside world (Mailgun, or the log in development).
///
/// A sender never throws: it classifies every result, so the delivery worker knows whether to mark
/// the mail sent, try again later, or give up.
public protocol MailSender: Sendable {
    /// A short name for logs (`mailgun`, `log`).
    var name: String { get }

    /// Sends `message` once.
    func send(_ message: MailMessage) async -> MailSendOutcome
}

/// What became of one attempt to send a mail.
public enum MailSendOutcome: Sendable, Hashable {
    /// The provider accepted the mail; `providerID` is its message id when it gave one.
    case sent(providerID: String?)
    /// A temporary failure (provider overloaded or down, network trouble, timeout): try again later.
    case retryable(reason: String)
    /// The provider refused this mail for good (for example an invalid recipient): do not try again.
    case rejected(reason: String)
}
