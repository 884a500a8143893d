/// What kind of installation a process runs in, from `ALPHA_ENV` (`development` or `production`,
/// default `production`).
///
/// Conveniences that would be unsafe in a real installation (mails written to the log with their codes,
/// for one) are allowed in `development` only; `make run` and the end-to-end tests set it. Anything
/// unset falls back to the safe side.
///
/// ```swift
/// let environment = try DeploymentEnvironment(settings: settings)
/// if environment.isDevelopment { ... }
/// ```
public enum DeploymentEnvironment: String, CaseIterable, Sendable {
    case development
    case production

    /// Reads `ALPHA_ENV`; a value other than `development` or `production` stops the start.
    public init(settings: Settings) throws(ConfigurationError) {
        self = try settings.choice("alpha.env", default: DeploymentEnvironment.production)
    }

    /// Whether this is a developer's machine (or a test run).
    public var isDevelopment: Bool { self == .development }
}
