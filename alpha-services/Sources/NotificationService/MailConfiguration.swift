import AlphaCore
import AsyncHTTPClient
import Foundation
import Logging

/// The notification service's mail configuration: who sends, through what, and how delivery retries.
///
/// | variable | default |
/// |---|---|
/// | `MAILGUN_API_KEY` (secret) | unset: mails are written to the log instead of sent |
/// | `MAILGUN_DOMAIN` | `mail.server-alpha.tech` |
/// | `MAILGUN_API_BASE` | `https://api.eu.mailgun.net` |
/// | `MAIL_FROM` | `Server Alpha <team@mail.server-alpha.tech>` |
/// | `MAIL_MAX_ATTEMPTS` | `60` |
/// | `MAIL_POLL_SECONDS` | `1` |
/// | `MAIL_BACKOFF_BASE_SECONDS` / `MAIL_BACKOFF_MAX_SECONDS` | `2` / `1800` |
/// | `MAIL_BATCH_SIZE` | `10` |
/// | `MAIL_LEASE_SECONDS` | `60` (must exceed `MAIL_SEND_TIMEOUT_SECONDS`) |
/// | `MAIL_SEND_TIMEOUT_SECONDS` | `10` |
/// | `MAIL_RETENTION_DAYS` | `30` |
///
/// ```swift
/// let mail = try MailConfiguration(settings: process.settings)
/// let worker = MailDeliveryWorker(queue: outbox, sender: mail.makeSender(logger: logger), from: mail.from,
///                                 configuration: mail.delivery, logger: logger)
/// ```
public struct MailConfiguration: Sendable {
    public static let defaultFrom = "Server Alpha <team@mail.server-alpha.tech>"

    /// The sender of every mail (`MAIL_FROM`).
    public var from: String
    /// Mailgun access, or `nil` when no API key is set (development: mails go to the log).
    public var mailgun: MailgunConfiguration?
    /// Polling, retries and retention.
    public var delivery: MailDeliveryConfiguration

    public init(from: String = defaultFrom, mailgun: MailgunConfiguration?, delivery: MailDeliveryConfiguration) {
        self.from = from
        self.mailgun = mailgun
        self.delivery = delivery
    }

    /// Reads the configuration; a malformed value throws naming its variable.
    public init(settings: Settings) throws(ConfigurationError) {
        let from = settings.string("mail.from", default: Self.defaultFrom)
        guard from.contains("@"), !from.contains("\n"), !from.contains("\r") else {
            throw .malformed(variable: "MAIL_FROM", value: from, expected: "an address like `Name <team@example.org>`")
        }

        var mailgun: MailgunConfiguration?
        if let apiKey = settings.optionalString("mailgun.api.key", isSecret: true) {
            let domain = settings.string("mailgun.domain", default: MailgunConfiguration.defaultDomain)
            // The domain becomes a path segment of the API URL: plain host-name characters only.
            let isPlainDomain = domain.allSatisfy { character in
                character.isASCII && (character.isLetter || character.isNumber || character == "." || character == "-")
            }
            guard isPlainDomain, domain.contains("."), !domain.contains("..") else {
                throw .malformed(variable: "MAILGUN_DOMAIN", value: domain, expected: "a domain name")
            }
            let apiBase = try validatedHTTPBase(
                settings.string("mailgun.api.base", default: MailgunConfiguration.defaultAPIBase),
                variable: "MAILGUN_API_BASE")
            mailgun = MailgunConfiguration(apiKey: apiKey, domain: domain, apiBase: apiBase)
        }

        let delivery = try MailDeliveryConfiguration(
            settings: settings, prefix: "mail", defaults: MailDeliveryConfiguration())
        self.init(from: from, mailgun: mailgun, delivery: delivery)
    }

    /// The Mailgun sender when an API key is configured, otherwise the development log sender.
    public func makeSender(httpClient: HTTPClient = .shared, logger: Logger) -> any MailSender {
        guard let mailgun else { return LogMailSender(logger: logger) }
        return MailgunSender(
            configuration: mailgun,
            httpClient: httpClient,
            timeout: delivery.sendTimeout,
            logger: logger
        )
    }
}
