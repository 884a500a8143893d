import AlphaCore
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// Sends Expo pushes: `POST {EXPO_API_BASE}/--/api/v2/push/send` with a JSON array of up to 100
/// messages `{"to", "title", "body", "data"}` (`data` = the Notification record, D15), optionally with
/// `Authorization: Bearer {EXPO_ACCESS_TOKEN}`.
///
/// Expo answers `200 {"data": [ticket…]}`, one ticket per message in order: `{"status": "ok", "id"}` or
/// `{"status": "error", "message", "details": {"error": "DeviceNotRegistered" | "MessageRateExceeded" | …}}`.
/// `DeviceNotRegistered` is gone (prune), `MessageRateExceeded` retryable, other ticket errors rejected.
/// A whole-request failure (429, 5xx, transport) retries every message; other 4xx reject them.
/// (Push receipts, Expo's second stage, are not polled.)
public struct ExpoPushSender: ExpoPushSending {
    public static let defaultAPIBase = "https://exp.host"
    public let maxBatchSize = 100

    public let apiBase: String
    private let accessToken: String?
    private let httpClient: HTTPClient
    private let timeout: Duration
    private let logger: Logger

    static let maxResponseBytes = 1024 * 1024

    public init(
        apiBase: String = defaultAPIBase,
        accessToken: String? = nil,
        httpClient: HTTPClient = .shared,
        timeout: Duration = .seconds(10),
        logger: Logger
    ) {
        self.apiBase = apiBase.hasSuffix("/") ? String(apiBase.dropLast()) : apiBase
        self.accessToken = accessToken
        self.httpClient = httpClient
        self.timeout = timeout
        self.logger = logger
    }

    public func send(_ messages: [ExpoMessage]) async -> [PushSendOutcome] {
        guard !messages.isEmpty else { return [] }
        let all = { (outcome: PushSendOutcome) in Array(repeating: outcome, count: messages.count) }
        var request = HTTPClientRequest(url: apiBase + "/--/api/v2/push/send")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        if let accessToken {
            request.headers.add(name: "Authorization", value: "Bearer \(accessToken)")
        }
        request.body = .bytes(ByteBuffer(data: Self.encode(messages)))

        let status: Int
        let answer: ByteBuffer
        let retryAfterValue: String?
        do {
            let response = try await httpClient.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
            status = Int(response.status.code)
            retryAfterValue = response.headers.first(name: "Retry-After")
            answer = (try? await response.body.collect(upTo: Self.maxResponseBytes)) ?? ByteBuffer()
        } catch {
            return all(.retryable(reason: "expo unreachable: \(error)"))
        }
        switch status {
        case 200..<300:
            break
        case 408, 429, 500..<600:
            return all(
                .retryable(
                    reason: "expo answered HTTP \(status): \(Self.summary(answer))",
                    retryAfter: retryAfter(retryAfterValue)))
        default:
            return all(.rejected(reason: "expo answered HTTP \(status): \(Self.summary(answer))"))
        }
        guard let tickets = try? JSONDecoder().decode(ExpoAnswer.self, from: Data(buffer: answer)).data,
            tickets.count == messages.count
        else {
            return all(.retryable(reason: "expo answered without one ticket per message"))
        }
        return tickets.map { ticket in
            guard ticket.status == "error" else { return .sent }
            let reason = "expo ticket error \(ticket.details?.error ?? "-"): \(ticket.message ?? "")"
            switch ticket.details?.error {
            case "DeviceNotRegistered": return .gone(reason: reason)
            case "MessageRateExceeded": return .retryable(reason: reason)
            default: return .rejected(reason: reason)
            }
        }
    }

    /// The request body: a JSON array of messages.
    static func encode(_ messages: [ExpoMessage]) -> Data {
        let array: [[String: Any]] = messages.map { message in
            var object: [String: Any] = [
                "to": message.token, "title": message.content.title, "body": message.content.body,
            ]
            if let data = try? JSONSerialization.jsonObject(with: Data(message.content.payload.utf8)) {
                object["data"] = data
            }
            return object
        }
        return (try? JSONSerialization.data(withJSONObject: array, options: [.sortedKeys])) ?? Data("[]".utf8)
    }

    static func summary(_ answer: ByteBuffer) -> String {
        if let errors = try? JSONDecoder().decode(ExpoAnswer.self, from: Data(buffer: answer)).errors,
            let first = errors.first
        {
            return "\(first.code ?? "-"): \(first.message ?? "")"
        }
        let text = String(buffer: answer).replacingOccurrences(of: "\n", with: " ")
        return text.isEmpty ? "(empty body)" : String(text.prefix(200))
    }
}

/// Expo's answer: `{"data": [tickets]}` or `{"errors": [{"code", "message"}]}`.
struct ExpoAnswer: Decodable {
    struct Ticket: Decodable {
        struct Details: Decodable {
            var error: String?
        }
        var status: String
        var id: String?
        var message: String?
        var details: Details?
    }
    struct RequestError: Decodable {
        var code: String?
        var message: String?
    }
    var data: [Ticket]?
    var errors: [RequestError]?
}
