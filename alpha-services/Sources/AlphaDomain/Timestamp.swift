import Foundation

/// Wire timestamps: RFC 3339, UTC, whole seconds, `Z` (`2024-07-26T09:41:07Z`; CONTRACT §1.2, D18).
/// Uses value-type format styles only, so it is safe from any thread.
public enum Timestamp {
    private static let format = Date.ISO8601FormatStyle(timeZone: .gmt)
    private static let fractionalFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    /// Formats `date` as `yyyy-MM-ddTHH:mm:ssZ` in UTC; fractional seconds are truncated.
    public static func string(from date: Date) -> String {
        let whole = Date(timeIntervalSince1970: (date.timeIntervalSince1970).rounded(.down))
        return whole.formatted(format)
    }

    /// Parses an RFC 3339 timestamp (`Z` or a numeric offset, optional fractional seconds);
    /// `nil` if it is not one.
    public static func date(from string: String) -> Date? {
        (try? format.parse(string)) ?? (try? fractionalFormat.parse(string))
    }
}
