/// A mail the user service asks the notification service to deliver.
///
/// Account flows write it into the user service's outbox with ``AccountTransaction/enqueueMail(_:)``, in
/// the same transaction as the account change; ``AccountMailDelivery`` hands it to the notification
/// service after the commit. So a registration, resend or reset succeeds once it is committed — also while
/// the notification service is down — and its mail follows when that service is back.
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
