import AlphaServicesTesting
import Foundation
import NotificationService
import Testing

@Suite("Mailgun sender")
struct MailgunSenderTests {
    static func message(to: String = "alice@example.org") throws -> MailMessage {
        let content = try MailTemplates.render(.activationCode, username: "alice", code: "731904")
        return MailMessage(
            id: UUID(),
            kind: .activationCode,
            from: "Server Alpha <team@mail.example.test>",
            to: to,
            subject: content.subject,
            text: content.text,
            html: content.html,
            code: "731904"
        )
    }

    @Test("sends exactly Mailgun's request: POST /v3/{domain}/messages, basic auth api:key, form fields")
    func requestFormat() async throws {
        try await withFakeMailgun { mailgun in
            let sender = MailgunSender(configuration: mailgun.configuration, logger: .quiet)
            let message = try Self.message()

            let outcome = await sender.send(message)

            let requests = await mailgun.requests()
            try #require(requests.count == 1)
            let request = requests[0]
            #expect(request.method == "POST")
            #expect(request.path == "/v3/mail.example.test/messages")
            let credentials = "api:\(mailgun.apiKey)"
            #expect(request.authorization == "Basic \(Data(credentials.utf8).base64EncodedString())")
            #expect(request.contentType == "application/x-www-form-urlencoded")
            let fieldNames = request.body.split(separator: "&").map { $0.split(separator: "=").first.map(String.init) }
            #expect(fieldNames == ["from", "to", "subject", "text", "html"])
            let form = try #require(request.form)
            #expect(form.from == "Server Alpha <team@mail.example.test>")
            #expect(form.to == "alice@example.org")
            #expect(form.subject == "Dein Aktivierungscode für Server Alpha")
            #expect(form.text == message.text)
            #expect(form.html == message.html)
            #expect(form.text?.contains("731904") == true)
            #expect(form.html?.contains("731904") == true)
            guard case .sent(let providerID) = outcome else {
                Issue.record("expected sent, got \(outcome)")
                return
            }
            #expect(providerID?.hasSuffix("@mail.example.test>") == true)
        }
    }

    @Test("server errors and rate limiting are retryable", arguments: [500, 502, 503, 429, 408])
    func retryableStatus(status: Int) async throws {
        try await withFakeMailgun { mailgun in
            await mailgun.failNext(1, status: status)
            let outcome = await MailgunSender(configuration: mailgun.configuration, logger: .quiet)
                .send(try Self.message())
            guard case .retryable(let reason) = outcome else {
                Issue.record("expected retryable, got \(outcome)")
                return
            }
            #expect(reason.contains("HTTP \(status)"))
        }
    }

    @Test("a refused recipient (400) is a permanent rejection carrying Mailgun's message")
    func rejectedRecipient() async throws {
        try await withFakeMailgun { mailgun in
            await mailgun.reject(recipient: "nobody@example.org")
            let outcome = await MailgunSender(configuration: mailgun.configuration, logger: .quiet)
                .send(try Self.message(to: "nobody@example.org"))
            #expect(
                outcome
                    == .rejected(
                        reason:
                            "mailgun answered HTTP 400: 'to' parameter is not a valid address. please check documentation"
                    )
            )
        }
    }

    @Test("an unknown domain (404) is a permanent rejection")
    func unknownDomain() async throws {
        try await withFakeMailgun { mailgun in
            var configuration = mailgun.configuration
            configuration.domain = "other.example.test"
            let outcome = await MailgunSender(configuration: configuration, logger: .quiet).send(try Self.message())
            #expect(outcome == .rejected(reason: "mailgun answered HTTP 404: Domain not found: other.example.test"))
        }
    }

    @Test("a wrong API key (401) keeps the mail for a retry, and neither the reason nor the log shows the key")
    func wrongKey() async throws {
        try await withFakeMailgun { mailgun in
            var configuration = mailgun.configuration
            configuration.apiKey = "key-wrong-and-secret"
            let log = LogRecorder()
            let outcome = await MailgunSender(configuration: configuration, logger: log.logger).send(try Self.message())

            #expect(outcome == .retryable(reason: "mailgun answered HTTP 401: Forbidden"))
            #expect(log.lines.contains { $0.level == .error && $0.message.contains("401") })
            #expect(!log.lines.contains { "\($0.message) \($0.metadata)".contains("key-wrong-and-secret") })
        }
    }

    @Test("an unreachable server is retryable")
    func unreachable() async throws {
        let configuration = MailgunConfiguration(
            apiKey: "k", domain: "mail.example.test", apiBase: "http://127.0.0.1:1")
        // The HTTP client keeps retrying a refused connection until the deadline, so keep it short.
        let outcome = await MailgunSender(configuration: configuration, timeout: .seconds(1), logger: .quiet)
            .send(try Self.message())
        guard case .retryable(let reason) = outcome else {
            Issue.record("expected retryable, got \(outcome)")
            return
        }
        #expect(reason.hasPrefix("mailgun unreachable"))
    }

    @Test("a server slower than the timeout is retryable")
    func timeout() async throws {
        try await withFakeMailgun { mailgun in
            await mailgun.delayAnswers(by: .seconds(3))
            let started = ContinuousClock.now
            let outcome = await MailgunSender(
                configuration: mailgun.configuration,
                timeout: .milliseconds(300),
                logger: .quiet
            ).send(try Self.message())
            guard case .retryable = outcome else {
                Issue.record("expected retryable, got \(outcome)")
                return
            }
            #expect(ContinuousClock.now - started < .seconds(3))
        }
    }
}
