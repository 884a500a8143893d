import AlphaCore

extension TokenPolicy {
    /// The installation's policy from configuration, the same in every process that issues or verifies tokens.
    ///
    /// Configuration keys: `TOKEN_ISSUER` (required: the `iss` written and required), `TOKEN_AUDIENCE`
    /// (required: the audience written and required), `ACCESS_TOKEN_TTL_SECONDS` (default 900),
    /// `REFRESH_TOKEN_TTL_SECONDS` (default 2592000, 30 days; not shorter than the access lifetime).
    ///
    /// ```swift
    /// let policy = try TokenPolicy(settings: process.settings)
    /// ```
    public init(settings: Settings) throws(ConfigurationError) {
        let access = try settings.int("access.token.ttl.seconds", default: 900, range: 1...(10 * 365 * 86_400))
        let refresh = try settings.int(
            "refresh.token.ttl.seconds", default: 30 * 86_400, range: 1...(10 * 365 * 86_400))
        guard refresh >= access else {
            throw .invalid(
                variable: "REFRESH_TOKEN_TTL_SECONDS", reason: "must not be shorter than ACCESS_TOKEN_TTL_SECONDS")
        }
        self.init(
            issuer: try settings.requiredString("token.issuer"),
            audience: try settings.requiredString("token.audience"),
            accessLifetime: .seconds(access),
            refreshLifetime: .seconds(refresh)
        )
    }

    /// The variables that carry this policy (`TOKEN_ISSUER`, …), for handing it to a child process.
    public var environment: [String: String] {
        [
            "TOKEN_ISSUER": issuer,
            "TOKEN_AUDIENCE": audience,
            "ACCESS_TOKEN_TTL_SECONDS": "\(accessLifetime.components.seconds)",
            "REFRESH_TOKEN_TTL_SECONDS": "\(refreshLifetime.components.seconds)",
        ]
    }
}
