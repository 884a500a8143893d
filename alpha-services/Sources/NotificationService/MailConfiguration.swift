import AlphaCore
import AsyncHTTPClient
import Foundation
import Logging

/// The notification service's mail configuration: who sends, through what, and how delivery retries.
///
/// | variable | default |
/// |---|---|
/// | `ALPHA_ENV` | `production` (`development`: see below) |
/// | `MAIL_TRANSPORT` | `mailgun` (`log`: write mails to the log instead of sending them) |
/// | `MAILGUN_API_KEY` (secret) | required for `mailgun`, except in development |
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
/// The transport fails closed: outside development, a missing `MAILGUN_API_KEY` stops the start unless
/// `MAIL_TRANSPORT=log` is set explicitly; in development a missing key means `log`. The log transport
/// writes codes and mail texts only in development; elsewhere it logs that a mail was dropped, without
/// its content.
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
    /// How mails leave the service.
    public enum Transport: String, CaseIterable, Sendable {
        case mailgun
        case log
    }

    /// Mailgun access, or `nil` for the log transport.
    public var mailgun: MailgunConfiguration?
    /// Whether the log transport may write a mail's content (codes included): development only.
    public var logsMailContent: Bool
    /// Polling, retries and retention.
    public var delivery: DeliveryConfiguration

    public init(
        from: String = defaultFrom,
        mailgun: MailgunConfiguration?,
        delivery: DeliveryConfiguration,
        logsMailContent: Bool = false
    ) {
        self.from = from
        self.mailgun = mailgun
        self.delivery = delivery
        self.logsMailContent = logsMailContent
    }

    /// Reads the configuration; a malformed value throws naming its variable.
    public init(settings: Settings) throws(ConfigurationError) {
        let from = settings.string("mail.from", default: Self.defaultFrom)
        guard from.contains("@"), !from.contains("\n"), !from.contains("\r") else {
            throw .malformed(variable: "MAIL_FROM", value: from, expected: "an address like `Name <team@example.org>`")
        }

        let environment = try DeploymentEnvironment(settings: settings)
        let apiKey = settings.optionalString("mailgun.api.key", isSecret: true)
        let transport: Transport
        if settings.optionalString("mail.transport") != nil {
            transport = try settings.choice("mail.transport", default: Transport.mailgun)
        } else {
            transport = apiKey == nil && environment.isDevelopment ? .log : .mailgun
        }
        var mailgun: MailgunConfiguration?
        if transport == .mailgun {
            guard let apiKey else {
                throw .invalid(
                    variable: "MAILGUN_API_KEY",
                    reason: environment.isDevelopment
                        ? "is required with MAIL_TRANSPORT=mailgun"
                        : "is required outside development (ALPHA_ENV=\(environment.rawValue)); "
                            + "set MAIL_TRANSPORT=log to drop mails on purpose"
                )
            }
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

        let delivery = try DeliveryConfiguration(
            settings: settings, prefix: "mail", defaults: DeliveryConfiguration())
        self.init(from: from, mailgun: mailgun, delivery: delivery, logsMailContent: environment.isDevelopment)
    }

    /// The Mailgun sender, or the log sender for the log transport.
    public func makeSender(httpClient: HTTPClient = .shared, logger: Logger) -> any MailSender {
        guard let mailgun else { return LogMailSender(logger: logger, logsContent: logsMailContent) }
        return MailgunSender(
            configuration: mailgun,
            httpClient: httpClient,
            timeout: delivery.sendTimeout,
            logger: logger
        )
    }
}
