import AlphaContracts
import AlphaDomain
import Foundation
import Hummingbird

/// E28–E29: the VAPID key and push subscription registration (Bearer token required).
struct PushRoutes {
    let dependencies: GatewayDependencies

    private var push: Alpha_Notification_V1_Push.Client<Upstreams.Transport> { dependencies.upstreams.push }

    /// Registers the routes on the signed-in `/api/push` group.
    func register(on group: RouterGroup<GatewayRequestContext>) {
        group.get("vapid", use: vapid)
        group.post("register", use: registerSubscription)
    }

    struct KeyBody: Encodable {
        var key: String
    }

    struct RegisteredBody: Encodable {
        var subscriptionId: String
    }

    /// E29's body: `{"type": "web", "subscription": {...}}` or `{"type": "expo", "token": "..."}`.
    struct RegisterBody: Decodable {
        var type: String
        var token: String?
        var subscription: WebSubscription?

        struct WebSubscription: Decodable {
            var endpoint: String
            var expirationTime: ExpirationTime?
            var keys: Keys

            struct Keys: Decodable {
                var p256dh: String
                var auth: String
            }
        }
    }

    /// `expirationTime`: `null`, an RFC 3339 string, or a number of milliseconds since the epoch (what
    /// `PushSubscription.toJSON()` produces; D13).
    struct ExpirationTime: Decodable {
        var date: Date?

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                date = nil
            } else if let milliseconds = try? container.decode(Double.self) {
                guard milliseconds.isFinite, abs(milliseconds) < 1e15 else { throw APIError(.badRequest) }
                date = Date(timeIntervalSince1970: milliseconds / 1000)
            } else {
                guard let parsed = Timestamp.date(from: try container.decode(String.self)) else {
                    throw APIError(.badRequest)
                }
                date = parsed
            }
        }
    }

    /// E28 `GET /api/push/vapid`.
    func vapid(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let answer = try await upstream(token: caller.token, logger: context.logger) {
            try await push.getVapidPublicKey(Alpha_Notification_V1_GetVapidPublicKeyRequest())
        }
        return try jsonResponse(KeyBody(key: answer.key))
    }

    /// E29 `POST /api/push/register`: `type` must be `web` (with a `subscription` whose endpoint and keys
    /// are non-empty) or `expo` (with a non-empty `token`), else 400 ERR-001 (D13). A repeat answers 201
    /// with the existing id (D46).
    func registerSubscription(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let body = try await request.decodeJSON(RegisterBody.self, limit: dependencies.configuration.maxBodyBytes)
        var registration = Alpha_Notification_V1_RegisterPushSubscriptionRequest()
        switch InputNormalizer.trimmed(body.type) {
        case "web":
            guard let subscription = body.subscription else { throw APIError(.badRequest) }
            registration.type = .web
            registration.endpoint = InputNormalizer.trimmed(subscription.endpoint)
            registration.p256Dh = InputNormalizer.trimmed(subscription.keys.p256dh)
            registration.auth = InputNormalizer.trimmed(subscription.keys.auth)
            try require(!registration.endpoint.isEmpty && !registration.p256Dh.isEmpty && !registration.auth.isEmpty)
            if let date = subscription.expirationTime?.date {
                registration.expirationTime = Timestamp.string(from: date)
            }
        case "expo":
            registration.type = .expo
            registration.token = InputNormalizer.trimmed(body.token ?? "")
            try require(!registration.token.isEmpty)
        default:
            throw APIError(.badRequest)
        }
        let answer = try await upstream(token: caller.token, logger: context.logger) {
            try await push.registerPushSubscription(registration)
        }
        return try jsonResponse(RegisteredBody(subscriptionId: answer.subscriptionID), status: .created)
    }
}
