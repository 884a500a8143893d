import AlphaCore
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// Sends web pushes: `POST {endpoint}` with the RFC 8291 `aes128gcm` body, `TTL`, and the RFC 8292
/// `Authorization: vapid t=…, k=…` header.
///
/// Endpoints are user-supplied, so every request goes through ``PushEndpointPolicy``: https only, the
/// host resolved once and refused unless public, the connection pinned to that checked address (TLS still
/// verifies the host name), no redirects, a deadline, and at most 8 KiB of answer read.
///
/// Answers: 2xx sent; 404/410 gone (prune the subscription); 408, 429, 5xx and transport errors
/// retryable (honouring `Retry-After` seconds); any other status rejected. Keys that cannot be used
/// (not base64url, not a P-256 point, `auth` not 16 bytes) make the subscription gone.
public struct WebPushSender: WebPushSending {
    public let vapid: VAPIDKey
    public let policy: PushEndpointPolicy
    public let ttl: Int
    private let resolver: any HostResolver
    private let timeout: Duration
    private let logger: Logger

    static let maxResponseBytes = 8 * 1024

    public init(
        vapid: VAPIDKey,
        policy: PushEndpointPolicy,
        ttl: Int = 300,
        resolver: any HostResolver = SystemHostResolver(),
        timeout: Duration = .seconds(10),
        logger: Logger
    ) {
        self.vapid = vapid
        self.policy = policy
        self.ttl = ttl
        self.resolver = resolver
        self.timeout = timeout
        self.logger = logger
    }

    public func send(payload: String, endpoint: String, p256dh: String, auth: String) async -> PushSendOutcome {
        let url: URL
        let pinnedAddress: String?
        do {
            url = try policy.validate(endpoint)
            pinnedAddress = try await policy.vettedAddress(for: url, resolver: resolver)
        } catch .unresolvable(let host) {
            return .retryable(reason: "endpoint host \(host) does not resolve")
        } catch {
            return .rejected(reason: "endpoint refused: \(error)")
        }
        guard let publicKey = Base64URL.decode(p256dh), let secret = Base64URL.decode(auth) else {
            return .gone(reason: "subscription keys are not base64url")
        }
        let body: Data
        do {
            body = try WebPushEncryption.encrypt(Data(payload.utf8), p256dh: publicKey, auth: secret)
        } catch .payloadTooLarge {
            return .rejected(reason: "payload too large")
        } catch {
            return .gone(reason: "subscription keys unusable: \(error)")
        }
        let authorization: String
        do {
            authorization = try await vapid.authorization(for: url)
        } catch {
            return .retryable(reason: "cannot sign the VAPID token: \(error)")
        }

        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.headers.add(name: "Content-Encoding", value: "aes128gcm")
        request.headers.add(name: "TTL", value: "\(ttl)")
        request.headers.add(name: "Urgency", value: "normal")
        request.headers.add(name: "Authorization", value: authorization)
        request.body = .bytes(ByteBuffer(data: body))

        // A client per push: its DNS override pins the connection to the vetted address.
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        if let pinnedAddress, let host = url.host {
            configuration.dnsOverride = [host: pinnedAddress]
        }
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let outcome: PushSendOutcome
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
            let answer = (try? String(buffer: await response.body.collect(upTo: Self.maxResponseBytes))) ?? ""
            outcome = Self.classify(
                status: Int(response.status.code), answer: answer,
                retryAfter: retryAfter(response.headers.first(name: "Retry-After")))
        } catch {
            outcome = .retryable(reason: "push service unreachable: \(error)")
        }
        try? await client.shutdown()
        return outcome
    }

    static func classify(status: Int, answer: String, retryAfter: Duration?) -> PushSendOutcome {
        let summary = answer.isEmpty ? "" : ": " + String(answer.prefix(200)).replacingOccurrences(of: "\n", with: " ")
        switch status {
        case 200..<300: return .sent
        case 404, 410: return .gone(reason: "push service answered HTTP \(status)\(summary)")
        case 408, 429, 500..<600:
            return .retryable(reason: "push service answered HTTP \(status)\(summary)", retryAfter: retryAfter)
        default: return .rejected(reason: "push service answered HTTP \(status)\(summary)")
        }
    }
}
