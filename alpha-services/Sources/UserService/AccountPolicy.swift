import AlphaCore

/// The time limits and attempt limits of the account flows (CONTRACT §5.1, D19, D53).
public struct AccountPolicy: Sendable, Hashable {
    /// How long an activation or password-reset code is valid (24 h, D19).
    public var codeLifetime: Duration
    /// How long after registration a never-activated account is marked to expire (7 days; not enforced, D32).
    public var accountExpiry: Duration
    /// Wrong guesses a code survives; the guess that reaches this number deletes the code (D53).
    public var maxCodeAttempts: Int
    /// Attempt, issuance and failed-login limits (D53 and the abuse limits of security round 2).
    public var abuseLimits: AbuseLimits

    public init(
        codeLifetime: Duration,
        accountExpiry: Duration,
        maxCodeAttempts: Int,
        abuseLimits: AbuseLimits = .standard
    ) {
        self.codeLifetime = codeLifetime
        self.accountExpiry = accountExpiry
        self.maxCodeAttempts = maxCodeAttempts
        self.abuseLimits = abuseLimits
    }

    /// The contract's values: codes 24 h, accounts 7 days, 5 wrong guesses per code, and
    /// ``AbuseLimits/standard`` (5 failed logins per user and address per 15 minutes, …).
    public static let standard = AccountPolicy(
        codeLifetime: .seconds(24 * 3600),
        accountExpiry: .seconds(7 * 24 * 3600),
        maxCodeAttempts: 5,
        abuseLimits: .standard
    )
}

extension AccountPolicy {
    /// ``standard`` with the abuse limits read from `settings` (``AbuseLimits/init(settings:)``).
    public init(settings: Settings) throws(ConfigurationError) {
        self = .standard
        abuseLimits = try AbuseLimits(settings: settings)
    }
}
