import Foundation
import Hummingbird

/// A local stand-in for Expo's push API, speaking its wire format: `POST /--/api/v2/push/send` with a
/// JSON message object or an array of them (`to`, `title`, `body`, `data`…), answered like Expo does:
///
/// - `200 {"data": [ticket…]}`, one ticket per message in order: `{"status": "ok", "id": "<uuid>"}`, or
///   for a token the test unregistered (or one that is not an `ExponentPushToken[…]`/`ExpoPushToken[…]`)
///   `{"status": "error", "message": "…", "details": {"error": "DeviceNotRegistered"}}`;
/// - `400 {"errors": [{"code": "PUSH_TOO_MANY_NOTIFICATIONS", …}]}` for more than 100 messages,
///   `400 {"errors": [{"code": "VALIDATION_ERROR", …}]}` for a body that is not messages;
/// - a status the test scripted (429, 503…) with an `errors` body.
public final class FakeExpo: Sendable {
    /// One message Expo accepted (`status: ok`).
    public struct Message: Sendable {
        public var to: String
        public var title: String?
        public var body: String?
        /// `data` re-serialised as JSON text.
        public var data: String?

        public var dataJSON: [String: Any] {
            (data.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }) ?? [:]
        }
    }

    public let port: Int
    private let state: State

    /// The value for `EXPO_API_BASE`.
    public var apiBase: String { "http://127.0.0.1:\(port)" }

    fileprivate init(port: Int, state: State) {
        self.port = port
        self.state = state
    }

    /// Makes pushes to `token` answer `DeviceNotRegistered` (the app was uninstalled).
    public func unregister(_ token: String) async { await state.unregister(token) }

    /// Answers the next `count` requests with `status`.
    public func failNext(_ count: Int, status: Int) async { await state.failNext(count, status: status) }

    /// The messages accepted so far, in order.
    public func accepted() async -> [Message] { await state.accepted }

    /// The number of messages in each request so far.
    public func batchSizes() async -> [Int] { await state.batchSizes }

    /// Waits until `count` messages to `token` were accepted (or `timeout` passes) and returns them.
    public func waitForMessages(to token: String, count: Int = 1, timeout: Duration = .seconds(20)) async throws
        -> [Message]
    {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let received = await accepted().filter { $0.to == token }
            if received.count >= count { return received }
            try await Task.sleep(for: .milliseconds(50))
        }
        return await accepted().filter { $0.to == token }
    }

    fileprivate actor State {
        var unregistered: Set<String> = []
        var scriptedFailures: [Int] = []
        var accepted: [Message] = []
        var batchSizes: [Int] = []

        func unregister(_ token: String) { unregistered.insert(token) }
        func failNext(_ count: Int, status: Int) { scriptedFailures += Array(repeating: status, count: count) }

        /// The status and JSON body of Expo's answer to `body`.
        func answer(_ body: Data) -> (status: Int, body: Data) {
            let (status, json) = decide(body)
            return (status, (try? JSONSerialization.data(withJSONObject: json)) ?? Data("{}".utf8))
        }

        private func decide(_ body: Data) -> (status: Int, json: Any) {
            if !scriptedFailures.isEmpty {
                let status = scriptedFailures.removeFirst()
                return (status, ["errors": [["code": "INTERNAL_SERVER_ERROR", "message": "scripted \(status)"]]])
            }
            let parsed = try? JSONSerialization.jsonObject(with: body)
            let objects: [[String: Any]]
            if let array = parsed as? [[String: Any]] {
                objects = array
            } else if let object = parsed as? [String: Any] {
                objects = [object]
            } else {
                return (400, ["errors": [["code": "VALIDATION_ERROR", "message": "\"value\" must be an array"]]])
            }
            guard objects.count <= 100 else {
                return (
                    400,
                    [
                        "errors": [
                            [
                                "code": "PUSH_TOO_MANY_NOTIFICATIONS",
                                "message": "You are trying to send more than 100 push notifications in one request.",
                            ]
                        ]
                    ]
                )
            }
            guard objects.allSatisfy({ $0["to"] is String }) else {
                return (400, ["errors": [["code": "VALIDATION_ERROR", "message": "\"to\" is required"]]])
            }
            batchSizes.append(objects.count)
            let tickets: [[String: Any]] = objects.map { object in
                let to = object["to"] as! String
                let wellFormed =
                    (to.hasPrefix("ExponentPushToken[") || to.hasPrefix("ExpoPushToken[")) && to.hasSuffix("]")
                guard wellFormed, !unregistered.contains(to) else {
                    return [
                        "status": "error",
                        "message": "\"\(to)\" is not a registered push notification recipient",
                        "details": ["error": "DeviceNotRegistered", "expoPushToken": to],
                    ]
                }
                let data = object["data"].flatMap { try? JSONSerialization.data(withJSONObject: $0) }
                accepted.append(
                    Message(
                        to: to, title: object["title"] as? String, body: object["body"] as? String,
                        data: data.map { String(decoding: $0, as: UTF8.self) }))
                return ["status": "ok", "id": UUID().uuidString]
            }
            return (200, ["data": tickets])
        }
    }
}

/// Runs a ``FakeExpo`` for the duration of `body`.
public func withFakeExpo<T: Sendable>(_ body: @Sendable (FakeExpo) async throws -> T) async throws -> T {
    let state = FakeExpo.State()
    let router = Router()
    router.post("/--/api/v2/push/send") { request, _ -> Response in
        let bytes = try await request.body.collect(upTo: 1024 * 1024)
        let (status, data) = await state.answer(Data(buffer: bytes))
        return Response(
            status: HTTPResponse.Status(code: status),
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(data: data))
        )
    }
    return try await withLocalHTTPServer(router, label: "fake-expo") { port in
        try await body(FakeExpo(port: port, state: state))
    }
}
