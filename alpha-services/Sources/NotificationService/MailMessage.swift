import Foundation

/// A rendered mail, ready to hand to a ``MailSender``.
public struct MailMessage: Sendable, Hashable {
    /// The outbox id (the caller's idempotency key).
    public var id: UUID
    public var kind: MailKind
    /// The sender, `Name <address>` (`MAIL_FROM`).
    public var from: String
    /// The recipient address.
    public var to: String
    public var subject: String
    public var text: String
    public var html: String
    /// The one-time code shown in the mail (empty for the welcome mail); for the development log only.
    public var code: String

    public init(
        id: UUID,
        kind: MailKind,
        from: String,
        to: String,
        subject: String,
        text: String,
        html: String,
        code: String
    ) {
        self.id = id
        self.kind = kind
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.code = code
    }
}
