import AlphaCore
import Foundation

/// Checks a configured API base URL (Mailgun, Expo): `http(s)`, a host, no query. Returns it unchanged.
func validatedHTTPBase(_ value: String, variable: String) throws(ConfigurationError) -> String {
    guard let url = URL(string: value), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
        url.host != nil, url.query == nil
    else {
        throw .malformed(variable: variable, value: value, expected: "an http(s) URL")
    }
    return value
}
