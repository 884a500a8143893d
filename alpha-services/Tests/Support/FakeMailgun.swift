import Foundation
import Hummingbird
import Logging

/// A local stand-in for Mailgun's send endpoint, speaking its wire format: a real HTTP server on
/// 127.0.0.1 (a free port) answering `POST /v3/{domain}/messages` like Mailgun does —
///
/// - `401 Forbidden` unless the request has basic auth `api:{key}`;
/// - `404 {"message": "Domain not found: …"}` for another domain;
/// - `400 {"message": "…"}` when `from`, `to`, `subject` or both of `text`/`html` are missing, or for a
///   recipient the test has marked as rejected;
/// - otherwise `200 {"id": "<…@domain>", "message": "Queued. Thank you."}`.
///
/// It records every request, and can answer a scripted status (e.g. 500) to the next requests or delay
/// its answers.
public final class FakeMailgun: Sendable {
    public struct Form: Decodable, Hashable, Sendable {
        public var from: String?
        public var to: String?
        public var subject: String?
        public var text: String?
        public var html: String?
    }

    public struct RecordedRequest: Sendable {
        public var method: String
        public var path: String
        public var authorization: String?
        public var contentType: String?
        public var body: String
        public var form: Form?
        public var status: Int
    }

    public let domain: String
    public let apiKey: String
    public let port: Int
    private let state: State

    public var apiBase: String { "http://127.0.0.1:\(port)" }

    fileprivate init(domain: String, apiKey: String, port: Int, state: State) {
        self.domain = domain
        self.apiKey = apiKey
        self.port = port
        self.state = state
    }

    /// Every request answered so far, in order.
    public func requests() async -> [RecordedRequest] { await state.requests }

    /// The requests answered `200` (the mails Mailgun would have accepted).
    public func acceptedRequests() async -> [RecordedRequest] { await state.requests.filter { $0.status == 200 } }

    /// How many requests have arrived (answered or not yet).
    public func arrivals() async -> Int { await state.arrivals }

    /// Answers the next `count` requests with `status` (after checking auth and domain, as Mailgun does).
    public func failNext(_ count: Int, status: Int) async { await state.failNext(count, status: status) }

    /// Answers `400` to every mail for `address`.
    public func reject(recipient address: String) async { await state.reject(address) }

    /// Waits this long before answering each request.
    public func delayAnswers(by delay: Duration) async { await state.setDelay(delay) }

    fileprivate actor State {
        var requests: [RecordedRequest] = []
        var arrivals = 0
        var scriptedFailures: [Int] = []
        var rejectedRecipients: Set<String> = []
        var delay: Duration = .zero

        func failNext(_ count: Int, status: Int) {
            scriptedFailures += Array(repeating: status, count: count)
        }

        func reject(_ address: String) { rejectedRecipients.insert(address) }
        func setDelay(_ delay: Duration) { self.delay = delay }

        func arrive() -> Duration {
            arrivals += 1
            return delay
        }

        func answer(
            domain: String,
            expectedDomain: String,
            expectedAPIKey: String,
            request: RecordedRequest
        ) -> (status: Int, body: String) {
            var request = request
            let answer = decide(domain: domain, expectedDomain: expectedDomain, expectedAPIKey: expectedAPIKey, request)
            request.status = answer.status
            requests.append(request)
            return answer
        }

        private func decide(
            domain: String,
            expectedDomain: String,
            expectedAPIKey: String,
            _ request: RecordedRequest
        ) -> (status: Int, body: String) {
            let expectedAuthorization = "Basic " + Data("api:\(expectedAPIKey)".utf8).base64EncodedString()
            guard request.authorization == expectedAuthorization else { return (401, "Forbidden") }
            guard domain == expectedDomain else { return (404, #"{"message":"Domain not found: \#(domain)"}"#) }
            if !scriptedFailures.isEmpty {
                let status = scriptedFailures.removeFirst()
                return (status, #"{"message":"scripted failure \#(status)"}"#)
            }
            guard
                request.contentType?.hasPrefix("application/x-www-form-urlencoded") == true
                    || request.contentType?.hasPrefix("multipart/form-data") == true,
                let form = request.form
            else {
                return (400, #"{"message":"from parameter is missing"}"#)
            }
            for (name, value) in [("from", form.from), ("to", form.to), ("subject", form.subject)]
            where value?.isEmpty ?? true {
                return (400, #"{"message":"\#(name) parameter is missing"}"#)
            }
            if form.text == nil, form.html == nil {
                return (400, #"{"message":"Need at least one of 'text', 'html' or 'template' parameters specified"}"#)
            }
            if let to = form.to, rejectedRecipients.contains(to) {
                return (400, #"{"message":"'to' parameter is not a valid address. please check documentation"}"#)
            }
            return (200, #"{"id":"<\#(UUID().uuidString)@\#(expectedDomain)>","message":"Queued. Thank you."}"#)
        }
    }
}

/// Runs a ``FakeMailgun`` for the duration of `body`.
public func withFakeMailgun<T: Sendable>(
    domain: String = "mail.example.test",
    apiKey: String = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0",
    _ body: @Sendable (FakeMailgun) async throws -> T
) async throws -> T {
    let state = FakeMailgun.State()
    let router = Router()
    router.post("/v3/:domain/messages") { request, context -> Response in
        let delay = await state.arrive()
        let requestDomain = context.parameters.get("domain") ?? ""
        let raw = String(buffer: try await request.body.collect(upTo: 16 * 1024 * 1024))
        let recorded = FakeMailgun.RecordedRequest(
            method: request.method.rawValue,
            path: request.uri.path,
            authorization: request.headers[.authorization],
            contentType: request.headers[.contentType],
            body: raw,
            form: try? URLEncodedFormDecoder().decode(FakeMailgun.Form.self, from: raw),
            status: 0
        )
        if delay > .zero {
            try await Task.sleep(for: delay)
        }
        let answer = await state.answer(
            domain: requestDomain,
            expectedDomain: domain,
            expectedAPIKey: apiKey,
            request: recorded
        )
        let contentType = answer.body.hasPrefix("{") ? "application/json" : "text/plain"
        return Response(
            status: HTTPResponse.Status(code: answer.status),
            headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body))
        )
    }
    return try await withLocalHTTPServer(router, label: "fake-mailgun") { port in
        try await body(FakeMailgun(domain: domain, apiKey: apiKey, port: port, state: state))
    }
}
