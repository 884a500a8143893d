/// The time limits and attempt limits of the account flows (CONTRACT §5.1, D19, D53).
public struct AccountPolicy: Sendable, Hashable {
    /// How long an activation or password-reset code is valid (24 h, D19).
    public var codeLifetime: Duration
    /// How long after registration a never-activated account is marked to expire (7 days; not enforced, D32).
    public var accountExpiry: Duration
    /// Wrong guesses a code survives; the guess that reaches this number deletes the code (D53).
    public var maxCodeAttempts: Int
    /// Failed logins allowed per username within ``loginFailureWindow`` before further attempts are refused (D53).
    public var maxFailedLogins: Int
    /// The window in which failed logins are counted, starting at the first failure.
    public var loginFailureWindow: Duration

    public init(
        codeLifetime: Duration,
        accountExpiry: Duration,
        maxCodeAttempts: Int,
        maxFailedLogins: Int,
        loginFailureWindow: Duration
    ) {
        self.codeLifetime = codeLifetime
        self.accountExpiry = accountExpiry
        self.maxCodeAttempts = maxCodeAttempts
        self.maxFailedLogins = maxFailedLogins
        self.loginFailureWindow = loginFailureWindow
    }

    /// The contract's values: codes 24 h, accounts 7 days, 5 wrong codes, 5 failed logins per 15 minutes.
    public static let standard = AccountPolicy(
        codeLifetime: .seconds(24 * 3600),
        accountExpiry: .seconds(7 * 24 * 3600),
        maxCodeAttempts: 5,
        maxFailedLogins: 5,
        loginFailureWindow: .seconds(15 * 60)
    )
}

extension Duration {
    /// The duration in seconds, as Foundation's `TimeInterval`.
    var timeInterval: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
