/// A mail the user service asks the notification service to deliver.
public struct AccountMail: Sendable, Hashable {
    /// What the mail is about.
    public enum Kind: Sendable, Hashable {
        /// The activation code after registration, resend or an expired activation attempt.
        case activationCode
        /// The password-reset code.
        case passwordResetCode
        /// The confirmation after a successful activation (no code).
        case welcome
    }

    public var kind: Kind
    public var toAddress: String
    public var username: String
    /// The 6-digit code, empty for ``Kind/welcome``.
    public var code: String

    public init(kind: Kind, toAddress: String, username: String, code: String = "") {
        self.kind = kind
        self.toAddress = toAddress
        self.username = username
        self.code = code
    }
}

/// Hands a mail over to durable delivery (the notification service's outbox).
///
/// Account flows call it inside their database transaction, after their own writes: when the hand-off
/// throws, the transaction rolls back, so a registration, resend or reset never half-happens
/// (DECISIONS: "the user service's write and that hand-off succeed or fail together").
public protocol MailHandoff: Sendable {
    /// Returns once the mail is stored for delivery; throws when it is not.
    func handOff(_ mail: AccountMail) async throws
}
