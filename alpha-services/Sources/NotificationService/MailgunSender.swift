import AlphaCore
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// Sends mail through Mailgun's HTTP API: `POST {base}/v3/{domain}/messages`, basic auth `api:{key}`,
/// an `application/x-www-form-urlencoded` body with `from`, `to`, `subject`, `text` and `html`.
///
/// Answers are classified for the delivery worker:
/// - 2xx: sent;
/// - 408, 429, 5xx, transport errors and timeouts: retryable — Mailgun is busy or unreachable;
/// - 401: retryable too — the API key is wrong or revoked, which is the deployment's fault, not the mail's;
///   the mail waits until the key is fixed instead of being dropped (logged as an error);
/// - any other 4xx: rejected for good (for example an invalid recipient).
///
/// ```swift
/// let sender = MailgunSender(configuration: MailgunConfiguration(apiKey: key), logger: logger)
/// let outcome = await sender.send(message)
/// ```
public struct MailgunSender: MailSender {
    public var name: String { "mailgun" }

    public let configuration: MailgunConfiguration
    private let httpClient: HTTPClient
    private let timeout: Duration
    private let logger: Logger

    /// Longest error body kept (Mailgun's are one-line JSON).
    static let maxResponseBytes = 64 * 1024

    /// - Parameters:
    ///   - httpClient: the client to send with; the process-wide `HTTPClient.shared` needs no shutdown.
    ///   - timeout: deadline of each request, connection set-up included.
    public init(
        configuration: MailgunConfiguration,
        httpClient: HTTPClient = .shared,
        timeout: Duration = .seconds(10),
        logger: Logger
    ) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.timeout = timeout
        self.logger = logger
    }

    public func send(_ message: MailMessage) async -> MailSendOutcome {
        var request = HTTPClientRequest(url: configuration.messagesURL)
        request.method = .POST
        request.headers.add(name: "Authorization", value: configuration.authorization)
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        let form = FormURLEncoding.encode([
            ("from", message.from),
            ("to", message.to),
            ("subject", message.subject),
            ("text", message.text),
            ("html", message.html),
        ])
        request.body = .bytes(ByteBuffer(string: form))

        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
        } catch {
            return .retryable(reason: "mailgun unreachable: \(error)")
        }
        // The status decides; a body that cannot be read must not turn an accepted mail into a retry.
        let body: String
        do {
            body = String(buffer: try await response.body.collect(upTo: Self.maxResponseBytes))
        } catch {
            body = ""
        }
        let outcome = Self.classify(status: Int(response.status.code), body: body)
        if response.status.code == 401 {
            logger.error(
                "mailgun refused the API key (HTTP 401): mails stay queued until MAILGUN_API_KEY is fixed",
                metadata: ["mail.id": "\(message.id.uuidString.lowercased())"]
            )
        }
        return outcome
    }

    /// Maps Mailgun's answer to an outcome.
    static func classify(status: Int, body: String) -> MailSendOutcome {
        switch status {
        case 200..<300:
            return .sent(providerID: MailgunAnswer.decode(body)?.id)
        case 401, 408, 429, 500..<600:
            return .retryable(reason: "mailgun answered HTTP \(status): \(MailgunAnswer.summary(of: body))")
        default:
            return .rejected(reason: "mailgun answered HTTP \(status): \(MailgunAnswer.summary(of: body))")
        }
    }
}

/// Mailgun's JSON answer: `{"id": "<…@domain>", "message": "Queued. Thank you."}` on success,
/// `{"message": "…"}` on most errors.
struct MailgunAnswer: Decodable {
    var id: String?
    var message: String?

    static func decode(_ body: String) -> MailgunAnswer? {
        try? JSONDecoder().decode(MailgunAnswer.self, from: Data(body.utf8))
    }

    /// The error message for `last_error` and logs: the JSON `message` when there is one, else the start
    /// of the body, on one line.
    static func summary(of body: String) -> String {
        let text = decode(body)?.message ?? body
        let line = text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        if line.isEmpty { return "(empty body)" }
        return line.count > 300 ? String(line.prefix(300)) + "…" : line
    }
}
