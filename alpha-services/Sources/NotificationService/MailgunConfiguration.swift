import Foundation

/// Where and how the Mailgun sender reaches Mailgun's HTTP API.
///
/// Its `description` never shows the API key, so the value can be logged.
public struct MailgunConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// The private API key (`MAILGUN_API_KEY`); sent only in the `Authorization` header.
    public var apiKey: String
    /// The sending domain (`MAILGUN_DOMAIN`, default `mail.server-alpha.tech`).
    public var domain: String
    /// The API base URL without a trailing slash (`MAILGUN_API_BASE`, default the EU region
    /// `https://api.eu.mailgun.net`).
    public var apiBase: String

    public static let defaultDomain = "mail.server-alpha.tech"
    public static let defaultAPIBase = "https://api.eu.mailgun.net"

    public init(apiKey: String, domain: String = defaultDomain, apiBase: String = defaultAPIBase) {
        self.apiKey = apiKey
        self.domain = domain
        self.apiBase = apiBase.hasSuffix("/") ? String(apiBase.dropLast()) : apiBase
    }

    /// `POST` target for sending: `{base}/v3/{domain}/messages`.
    public var messagesURL: String {
        "\(apiBase)/v3/\(domain)/messages"
    }

    /// HTTP basic authentication with the user `api` and the key as password.
    var authorization: String {
        "Basic " + Data("api:\(apiKey)".utf8).base64EncodedString()
    }

    public var description: String {
        "Mailgun(domain: \(domain), apiBase: \(apiBase), apiKey: <redacted>)"
    }
}
