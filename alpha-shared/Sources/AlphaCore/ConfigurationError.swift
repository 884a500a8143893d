/// A configuration value that is missing or cannot be used; stops the process at start-up.
///
/// Its `description` is the one line printed before the process exits, and always names the
/// environment variable to fix.
public enum ConfigurationError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A required variable is unset or empty.
    case missing(variable: String)
    /// A variable is set but its value cannot be parsed; `value` is omitted from output for secrets.
    case malformed(variable: String, value: String, expected: String)
    /// A variable parsed but is unusable (for example a PEM that is not an Ed25519 key).
    case invalid(variable: String, reason: String)

    /// The variable this error is about.
    public var variable: String {
        switch self {
        case .missing(let variable), .malformed(let variable, _, _), .invalid(let variable, _): variable
        }
    }

    /// The one line printed before the process exits, naming the variable.
    public var description: String {
        switch self {
        case .missing(let variable):
            "configuration error: \(variable) is required but not set"
        case .malformed(let variable, let value, let expected):
            "configuration error: \(variable) must be \(expected), got \"\(value.prefix(64))\""
        case .invalid(let variable, let reason):
            "configuration error: \(variable) is invalid: \(reason)"
        }
    }
}
