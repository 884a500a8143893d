import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// A local stand-in for a Web Push service (RFC 8030) and the browsers behind it: a real HTTP server on
/// 127.0.0.1 whose subscriptions have endpoints `http://127.0.0.1:{port}/push/{id}`. For each
/// `POST /push/{id}` it
///
/// - answers `404` for an unknown subscription and `410 Gone` for one the test expired;
/// - checks `Content-Encoding: aes128gcm` and a `TTL` header (`400` otherwise);
/// - verifies the VAPID `Authorization` (ES256 signature, `aud` = this origin, `exp` ≤ 24 h, `sub`), and
///   that `k` is the key the subscription was made with, when one was given (`401`/`403` otherwise, as
///   push services do);
/// - DECRYPTS the body with the subscription's private key and auth secret (`400` if that fails);
/// - answers `201 Created` with a `Location`, or a status the test scripted (429, 500, 503…).
///
/// Decryption and verification are ``WebPushReceiver``, written independently of the server's code.
public final class FakePushService: Sendable {
    /// A browser's push subscription: what it would hand to `PushSubscription.toJSON()`.
    public struct Subscription: Sendable {
        public var id: String
        public var endpoint: String
        /// `keys.p256dh`, `keys.auth` (unpadded base64url).
        public var p256dh: String
        public var auth: String
        let privateKey: P256.KeyAgreement.PrivateKey
        let authSecret: Data
        let applicationServerKey: String?

        /// The E29 request body registering this subscription.
        public var registrationJSON: String {
            #"{"type":"web","subscription":{"endpoint":"\#(endpoint)","expirationTime":null,"keys":{"p256dh":"\#(p256dh)","auth":"\#(auth)"}}}"#
        }
    }

    /// A push the service accepted, decrypted.
    public struct Delivery: Sendable {
        public var subscriptionID: String
        public var plaintext: String
        public var ttl: Int?
        public var vapid: WebPushReceiver.VAPIDClaims

        /// The decrypted payload parsed as a JSON object.
        public var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(plaintext.utf8)) as? [String: Any]) ?? [:]
        }
    }

    public let port: Int
    private let state: State

    public var origin: String { "http://127.0.0.1:\(port)" }

    fileprivate init(port: Int, state: State) {
        self.port = port
        self.state = state
    }

    /// A new subscription, as a browser would create with `applicationServerKey` (checked against the
    /// VAPID `k` of every push when given).
    public func subscribe(applicationServerKey: String? = nil) async -> Subscription {
        let privateKey = P256.KeyAgreement.PrivateKey()
        let auth = Data((0..<16).map { _ in UInt8.random(in: 0...255) })
        let id = UUID().uuidString.lowercased()
        let subscription = Subscription(
            id: id,
            endpoint: "\(origin)/push/\(id)",
            p256dh: WebPushReceiver.base64url(privateKey.publicKey.x963Representation),
            auth: WebPushReceiver.base64url(auth),
            privateKey: privateKey,
            authSecret: auth,
            applicationServerKey: applicationServerKey
        )
        await state.add(subscription)
        return subscription
    }

    /// Makes the subscription answer `410 Gone` from now on (the browser unsubscribed).
    public func expire(_ subscription: Subscription) async { await state.expire(subscription.id) }

    /// Answers the next `count` pushes with `status` (e.g. 503 for an outage, 429 for rate limiting), with a
    /// `Retry-After: retryAfter` (seconds) header when given.
    public func failNext(_ count: Int, status: Int, retryAfter: Int? = nil) async {
        await state.failNext(count, status: status, retryAfter: retryAfter)
    }

    /// Answers every push with `status` until ``recover()``.
    public func failAll(status: Int) async { await state.setOutage(status) }

    /// Ends ``failAll(status:)``.
    public func recover() async { await state.setOutage(nil) }

    /// The pushes accepted (and decrypted) for `subscription`, in order.
    public func deliveries(to subscription: Subscription) async -> [Delivery] {
        await state.deliveries.filter { $0.subscriptionID == subscription.id }
    }

    /// Every answer status so far, in order.
    public func statuses() async -> [Int] { await state.statuses }

    /// Waits until `subscription` has received `count` pushes (or `timeout` passes) and returns them.
    public func waitForDeliveries(
        to subscription: Subscription, count: Int = 1, timeout: Duration = .seconds(20)
    ) async throws -> [Delivery] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let received = await deliveries(to: subscription)
            if received.count >= count { return received }
            try await Task.sleep(for: .milliseconds(50))
        }
        return await deliveries(to: subscription)
    }

    fileprivate actor State {
        var subscriptions: [String: Subscription] = [:]
        var expired: Set<String> = []
        var scriptedFailures: [(status: Int, retryAfter: Int?)] = []
        var outage: Int?
        var deliveries: [Delivery] = []
        var statuses: [Int] = []

        func add(_ subscription: Subscription) { subscriptions[subscription.id] = subscription }
        func expire(_ id: String) { expired.insert(id) }
        func failNext(_ count: Int, status: Int, retryAfter: Int?) {
            scriptedFailures += Array(repeating: (status, retryAfter), count: count)
        }
        func setOutage(_ status: Int?) { outage = status }

        /// The status to answer, and the `Retry-After` seconds to send with it.
        func answer(id: String, headers: HTTPFields, body: Data, origin: String) -> (status: Int, retryAfter: Int?) {
            if subscriptions[id] != nil, !expired.contains(id), outage == nil, !scriptedFailures.isEmpty {
                let failure = scriptedFailures.removeFirst()
                statuses.append(failure.status)
                return failure
            }
            let status = decide(id: id, headers: headers, body: body, origin: origin)
            statuses.append(status)
            return (status, nil)
        }

        private func decide(id: String, headers: HTTPFields, body: Data, origin: String) -> Int {
            guard let subscription = subscriptions[id] else { return 404 }
            if expired.contains(id) { return 410 }
            if let outage { return outage }
            guard headers[HTTPField.Name("Content-Encoding")!] == "aes128gcm",
                let ttlText = headers[HTTPField.Name("TTL")!], let ttl = Int(ttlText), ttl >= 0
            else { return 400 }
            let claims: WebPushReceiver.VAPIDClaims
            do {
                claims = try WebPushReceiver.verifyVAPID(headers[.authorization], origin: origin)
            } catch {
                return 401
            }
            if let expected = subscription.applicationServerKey, expected != claims.publicKey { return 403 }
            guard
                let plaintext = try? WebPushReceiver.decrypt(
                    body, privateKey: subscription.privateKey, auth: subscription.authSecret)
            else { return 400 }
            deliveries.append(
                Delivery(
                    subscriptionID: id, plaintext: String(decoding: plaintext, as: UTF8.self), ttl: ttl, vapid: claims))
            return 201
        }
    }
}

/// Runs a ``FakePushService`` for the duration of `body`.
public func withFakePushService<T: Sendable>(_ body: @Sendable (FakePushService) async throws -> T) async throws -> T {
    let state = FakePushService.State()
    let router = Router()
    let origin = OriginBox()
    router.post("/push/:id") { request, context -> Response in
        let id = context.parameters.get("id") ?? ""
        let bytes = try await request.body.collect(upTo: 64 * 1024)
        let (status, retryAfter) = await state.answer(
            id: id, headers: request.headers, body: Data(buffer: bytes), origin: origin.value)
        var headers: HTTPFields = [:]
        if status == 201 {
            headers[.location] = "/message/\(UUID().uuidString.lowercased())"
        }
        if let retryAfter {
            headers[.retryAfter] = "\(retryAfter)"
        }
        return Response(status: HTTPResponse.Status(code: status), headers: headers)
    }
    return try await withLocalHTTPServer(router, label: "fake-push") { port in
        origin.value = "http://127.0.0.1:\(port)"
        return try await body(FakePushService(port: port, state: state))
    }
}

/// The fake's origin, known once the server has its port.
private final class OriginBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = ""
    var value: String {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
