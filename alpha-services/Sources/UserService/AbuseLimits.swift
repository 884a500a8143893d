import AlphaCore

/// The abuse limits of the account flows (DECISIONS, security round 2): how many attempts of each kind
/// fit in a fixed window before further ones answer 429 ERR-029 with `Retry-After`.
///
/// Counters live in PostgreSQL (``AbuseCounters``), so every replica of the user service shares them.
public struct AbuseLimits: Sendable, Hashable {
    /// At most `maximum` attempts per `window` (the window starts with the first attempt).
    public struct Limit: Sendable, Hashable {
        public var maximum: Int
        public var window: Duration

        public init(maximum: Int, window: Duration) {
            self.maximum = maximum
            self.window = window
        }
    }

    /// Activation (E03) or reset (E08) attempts per user and purpose, across all codes issued in the
    /// window (a new code does not reset it).
    public var codeAttempts: Limit
    /// Codes issued (E02, E04, E07) per username.
    public var codeIssuesPerUser: Limit
    /// Codes issued (E02, E04, E07) per client address.
    public var codeIssuesPerAddress: Limit
    /// Failed logins (E05) per username and client address: what locks out one attacker, not the user.
    public var failedLoginsPerUserAndAddress: Limit
    /// Failed logins per client address, whatever the username (password spraying).
    public var failedLoginsPerAddress: Limit
    /// Failed logins per username from all addresses together (a distributed attack).
    public var failedLoginsPerUser: Limit

    public init(
        codeAttempts: Limit,
        codeIssuesPerUser: Limit,
        codeIssuesPerAddress: Limit,
        failedLoginsPerUserAndAddress: Limit,
        failedLoginsPerAddress: Limit,
        failedLoginsPerUser: Limit
    ) {
        self.codeAttempts = codeAttempts
        self.codeIssuesPerUser = codeIssuesPerUser
        self.codeIssuesPerAddress = codeIssuesPerAddress
        self.failedLoginsPerUserAndAddress = failedLoginsPerUserAndAddress
        self.failedLoginsPerAddress = failedLoginsPerAddress
        self.failedLoginsPerUser = failedLoginsPerUser
    }

    /// 10 code attempts per user and purpose per hour; 5 codes per user and 20 per address per hour;
    /// failed logins: 5 per user and address, 30 per address, 100 per user, each per 15 minutes.
    public static let standard = AbuseLimits(
        codeAttempts: Limit(maximum: 10, window: .seconds(3600)),
        codeIssuesPerUser: Limit(maximum: 5, window: .seconds(3600)),
        codeIssuesPerAddress: Limit(maximum: 20, window: .seconds(3600)),
        failedLoginsPerUserAndAddress: Limit(maximum: 5, window: .seconds(15 * 60)),
        failedLoginsPerAddress: Limit(maximum: 30, window: .seconds(15 * 60)),
        failedLoginsPerUser: Limit(maximum: 100, window: .seconds(15 * 60))
    )

    /// ``standard`` with the maximums overridden by `ABUSE_LIMIT_CODE_ATTEMPTS`,
    /// `ABUSE_LIMIT_CODE_ISSUES_PER_USER`, `ABUSE_LIMIT_CODE_ISSUES_PER_ADDRESS`,
    /// `ABUSE_LIMIT_FAILED_LOGINS_PER_USER_AND_ADDRESS`, `ABUSE_LIMIT_FAILED_LOGINS_PER_ADDRESS` and
    /// `ABUSE_LIMIT_FAILED_LOGINS_PER_USER` (the windows stay as they are).
    public init(settings: Settings) throws(ConfigurationError) {
        var limits = AbuseLimits.standard
        func maximum(_ key: String, _ limit: inout Limit) throws(ConfigurationError) {
            limit.maximum = try settings.int("abuse.limit." + key, default: limit.maximum, range: 1...1_000_000)
        }
        try maximum("code.attempts", &limits.codeAttempts)
        try maximum("code.issues.per.user", &limits.codeIssuesPerUser)
        try maximum("code.issues.per.address", &limits.codeIssuesPerAddress)
        try maximum("failed.logins.per.user.and.address", &limits.failedLoginsPerUserAndAddress)
        try maximum("failed.logins.per.address", &limits.failedLoginsPerAddress)
        try maximum("failed.logins.per.user", &limits.failedLoginsPerUser)
        self = limits
    }
}
