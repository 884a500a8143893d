import AlphaContracts

/// What a mail is for. The raw value is what `mail_outbox.kind` stores.
public enum MailKind: String, CaseIterable, Sendable, Hashable {
    /// The activation code after registration, a resend, or an expired code (E02, E03, E04).
    case activationCode = "activation_code"
    /// The code to set a new password (E07).
    case passwordResetCode = "password_reset_code"
    /// The confirmation after a successful activation (E03); carries no code.
    case welcome

    /// Whether the mail shows a one-time code.
    public var carriesCode: Bool {
        self != .welcome
    }

    /// The kind named by the RPC's enum, or `nil` for `MAIL_KIND_UNSPECIFIED` and values this build does not know.
    public init?(_ kind: Alpha_Notification_V1_MailKind) {
        switch kind {
        case .activationCode: self = .activationCode
        case .passwordResetCode: self = .passwordResetCode
        case .welcome: self = .welcome
        default: return nil
        }
    }
}
