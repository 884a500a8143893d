import Configuration

/// Typed access to a process's configuration, read from environment variables by default.
///
/// Keys are written lower-case and dotted (`grpc.port`); the environment variable that carries a key is
/// the key upper-cased with dots turned into underscores (`GRPC_PORT`). Unlike the plain `ConfigReader`
/// getters, a value that is present but malformed never falls back to the default: it throws a
/// ``ConfigurationError`` naming the variable, so a typo stops the process at start-up.
///
/// ```swift
/// let settings = Settings.environment()
/// let port = try settings.int("grpc.port", default: 50051, range: 1...65535)
/// let password = try settings.requiredString("postgres.password", isSecret: true)
/// ```
public struct Settings: Sendable {
    /// The underlying swift-configuration reader.
    public let reader: ConfigReader

    /// Wraps an existing reader (for example one with several providers).
    public init(reader: ConfigReader) {
        self.reader = reader
    }

    /// Settings read from the process environment.
    public static func environment() -> Settings {
        Settings(reader: ConfigReader(provider: EnvironmentVariablesProvider()))
    }

    /// Settings read from a dictionary of environment-style names (`["GRPC_PORT": "50051"]`); for tests.
    public static func dictionary(_ variables: [String: String]) -> Settings {
        Settings(reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: variables)))
    }

    /// The environment variable name that carries `key` (`grpc.port` → `GRPC_PORT`).
    public static func variableName(for key: String) -> String {
        key.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    /// The raw value, or `nil` when the variable is unset or empty.
    public func optionalString(_ key: String, isSecret: Bool = false) -> String? {
        guard let value = reader.string(forKey: ConfigKey(key), isSecret: isSecret), !value.isEmpty else {
            return nil
        }
        return value
    }

    /// The value, or `defaultValue` when unset or empty.
    public func string(_ key: String, default defaultValue: String) -> String {
        optionalString(key) ?? defaultValue
    }

    /// The value; throws ``ConfigurationError/missing(variable:)`` when unset or empty.
    public func requiredString(_ key: String, isSecret: Bool = false) throws(ConfigurationError) -> String {
        guard let value = optionalString(key, isSecret: isSecret) else {
            throw .missing(variable: Self.variableName(for: key))
        }
        return value
    }

    /// An integer, or `defaultValue` when unset; throws when the value is not an integer in `range`.
    public func int(
        _ key: String,
        default defaultValue: Int,
        range: ClosedRange<Int>? = nil
    ) throws(ConfigurationError) -> Int {
        guard let raw = optionalString(key) else { return defaultValue }
        let expectation = range.map { "an integer in \($0.lowerBound)...\($0.upperBound)" } ?? "an integer"
        guard let value = Int(raw.trimmingCharacters(in: .whitespaces)), range?.contains(value) ?? true else {
            throw .malformed(variable: Self.variableName(for: key), value: raw, expected: expectation)
        }
        return value
    }

    /// A TCP port (1...65535), or `defaultValue` when unset.
    public func port(_ key: String, default defaultValue: Int) throws(ConfigurationError) -> Int {
        try int(key, default: defaultValue, range: 1...65535)
    }

    /// A positive number of seconds as a `Duration`, or `defaultValue` when unset.
    public func seconds(_ key: String, default defaultValue: Duration) throws(ConfigurationError) -> Duration {
        guard let raw = optionalString(key) else { return defaultValue }
        guard let value = Double(raw.trimmingCharacters(in: .whitespaces)), value > 0, value.isFinite else {
            throw .malformed(
                variable: Self.variableName(for: key), value: raw, expected: "a positive number of seconds")
        }
        return .milliseconds(Int64(value * 1000))
    }

    /// A boolean (`true/false/1/0/yes/no`), or `defaultValue` when unset.
    public func bool(_ key: String, default defaultValue: Bool) throws(ConfigurationError) -> Bool {
        guard let raw = optionalString(key) else { return defaultValue }
        switch raw.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default:
            throw .malformed(variable: Self.variableName(for: key), value: raw, expected: "true or false")
        }
    }

    /// One of the raw values of `T`, or `defaultValue` when unset.
    public func choice<T: RawRepresentable & CaseIterable>(
        _ key: String,
        default defaultValue: T
    ) throws(ConfigurationError) -> T where T.RawValue == String {
        guard let raw = optionalString(key) else { return defaultValue }
        guard let value = T(rawValue: raw.lowercased()) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: "|")
            throw .malformed(variable: Self.variableName(for: key), value: raw, expected: "one of \(allowed)")
        }
        return value
    }
}
