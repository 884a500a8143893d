import AlphaCore
import Logging
import NotificationService
import Testing

@Suite("Mail configuration")
struct MailConfigurationTests {
    @Test("in development without MAILGUN_API_KEY mails go to the log, with the documented defaults")
    func defaults() throws {
        let configuration = try MailConfiguration(settings: .dictionary(["ALPHA_ENV": "development"]))

        #expect(configuration.mailgun == nil)
        #expect(configuration.makeSender(logger: .quiet).name == "log")
        #expect(configuration.from == "Server Alpha <team@mail.server-alpha.tech>")
        let delivery = configuration.delivery
        #expect(delivery.maxAttempts == 60)
        #expect(delivery.pollInterval == .seconds(1))
        #expect(delivery.backoff == RetryBackoff(base: .seconds(2), maximum: .seconds(1800)))
        #expect(delivery.batchSize == 10)
        #expect(delivery.lease == .seconds(60))
        #expect(delivery.sendTimeout == .seconds(10))
        #expect(delivery.retention == .seconds(30 * 86_400))
    }

    @Test("outside development a missing MAILGUN_API_KEY stops the start (fails closed), naming the variable")
    func failsClosed() throws {
        for variables in [
            [:], ["ALPHA_ENV": "production"], ["MAIL_TRANSPORT": "mailgun"],
            ["ALPHA_ENV": "development", "MAIL_TRANSPORT": "mailgun"],
        ] {
            #expect {
                try MailConfiguration(settings: .dictionary(variables))
            } throws: { error in
                (error as? ConfigurationError)?.variable == "MAILGUN_API_KEY"
            }
        }
        #expect(throws: ConfigurationError.self) {
            try MailConfiguration(settings: .dictionary(["ALPHA_ENV": "staging"]))
        }
        #expect(throws: ConfigurationError.self) {
            try MailConfiguration(settings: .dictionary(["ALPHA_ENV": "development", "MAIL_TRANSPORT": "smtp"]))
        }
    }

    @Test("MAIL_TRANSPORT=log is the explicit opt-out: the log transport, without mail content outside development")
    func explicitLogTransport() throws {
        let production = try MailConfiguration(settings: .dictionary(["MAIL_TRANSPORT": "log"]))
        #expect(production.mailgun == nil && !production.logsMailContent)
        #expect(production.makeSender(logger: .quiet).name == "log")
        let withKey = try MailConfiguration(settings: .dictionary(["MAIL_TRANSPORT": "log", "MAILGUN_API_KEY": "k"]))
        #expect(withKey.mailgun == nil)
        let development = try MailConfiguration(settings: .dictionary(["ALPHA_ENV": "development"]))
        #expect(development.logsMailContent)
    }

    @Test("with MAILGUN_API_KEY mails go to Mailgun's EU API for mail.server-alpha.tech")
    func mailgunDefaults() throws {
        let configuration = try MailConfiguration(settings: .dictionary(["MAILGUN_API_KEY": "key-secret-1"]))

        let mailgun = try #require(configuration.mailgun)
        #expect(mailgun.apiKey == "key-secret-1")
        #expect(mailgun.messagesURL == "https://api.eu.mailgun.net/v3/mail.server-alpha.tech/messages")
        #expect(configuration.makeSender(logger: .quiet).name == "mailgun")
    }

    @Test("every key is read")
    func overrides() throws {
        let configuration = try MailConfiguration(
            settings: .dictionary([
                "MAILGUN_API_KEY": "k", "MAILGUN_DOMAIN": "mg.example.org",
                "MAILGUN_API_BASE": "https://api.mailgun.net/",
                "MAIL_FROM": "Alpha <no-reply@mg.example.org>", "MAIL_MAX_ATTEMPTS": "5", "MAIL_POLL_SECONDS": "0.5",
                "MAIL_BACKOFF_BASE_SECONDS": "1", "MAIL_BACKOFF_MAX_SECONDS": "60", "MAIL_BATCH_SIZE": "3",
                "MAIL_LEASE_SECONDS": "30", "MAIL_SEND_TIMEOUT_SECONDS": "5", "MAIL_RETENTION_DAYS": "7",
            ])
        )

        #expect(configuration.mailgun?.messagesURL == "https://api.mailgun.net/v3/mg.example.org/messages")
        #expect(configuration.from == "Alpha <no-reply@mg.example.org>")
        let delivery = configuration.delivery
        #expect(delivery.maxAttempts == 5)
        #expect(delivery.pollInterval == .milliseconds(500))
        #expect(delivery.backoff == RetryBackoff(base: .seconds(1), maximum: .seconds(60)))
        #expect(delivery.batchSize == 3)
        #expect(delivery.lease == .seconds(30))
        #expect(delivery.sendTimeout == .seconds(5))
        #expect(delivery.retention == .seconds(7 * 86_400))
    }

    @Test(
        "a bad value stops the start naming its variable",
        arguments: [
            (["MAIL_MAX_ATTEMPTS": "0"], "MAIL_MAX_ATTEMPTS"),
            (["MAIL_POLL_SECONDS": "soon"], "MAIL_POLL_SECONDS"),
            (["MAIL_FROM": "Server Alpha"], "MAIL_FROM"),
            (["MAILGUN_API_KEY": "k", "MAILGUN_API_BASE": "ftp://mailgun.example"], "MAILGUN_API_BASE"),
            (["MAILGUN_API_KEY": "k", "MAILGUN_DOMAIN": "mail.example.org/../x"], "MAILGUN_DOMAIN"),
            (["MAIL_BACKOFF_BASE_SECONDS": "60", "MAIL_BACKOFF_MAX_SECONDS": "10"], "MAIL_BACKOFF_MAX_SECONDS"),
            (["MAIL_LEASE_SECONDS": "10", "MAIL_SEND_TIMEOUT_SECONDS": "10"], "MAIL_LEASE_SECONDS"),
        ]
    )
    func rejectsBadValues(variables: [String: String], variable: String) {
        #expect {
            try MailConfiguration(
                settings: .dictionary(variables.merging(["ALPHA_ENV": "development"]) { old, _ in old }))
        } throws: { error in
            (error as? ConfigurationError)?.variable == variable
        }
    }

    @Test("the Mailgun configuration can be logged: its description hides the API key")
    func apiKeyIsRedacted() throws {
        let mailgun = try #require(
            try MailConfiguration(settings: .dictionary(["MAILGUN_API_KEY": "key-very-secret"])).mailgun
        )
        #expect(!"\(mailgun)".contains("key-very-secret"))
        #expect(!String(reflecting: mailgun).contains("key-very-secret"))
        #expect("\(mailgun)".contains("mail.server-alpha.tech"))
    }
}
