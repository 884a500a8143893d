import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaDomain
import Foundation
import GRPCCore

/// `alpha.notification.v1.Push`: the VAPID public key (E28) and push subscription registration (E29),
/// for the signed-in user.
///
/// Registration keeps the contract's lax checks (dummy keys are accepted; D13) but requires a usable
/// endpoint: an absolute `https` URL whose host is not local or private (``PushEndpointPolicy``), and
/// de-duplicates per (user, endpoint) and (user, token), answering the existing id (D46).
public struct PushHandler {
    /// Longest stored endpoint, Expo token, and web key.
    static let maxEndpointLength = 1024
    static let maxTokenLength = 256
    static let maxKeyLength = 256

    private let store: any NotificationStore
    private let vapid: VAPIDKey
    private let policy: PushEndpointPolicy

    public init(store: any NotificationStore, vapid: VAPIDKey, policy: PushEndpointPolicy) {
        self.store = store
        self.vapid = vapid
        self.policy = policy
    }
}

extension PushHandler: Alpha_Notification_V1_Push.SimpleServiceProtocol {
    public func getVapidPublicKey(
        request: Alpha_Notification_V1_GetVapidPublicKeyRequest,
        context: ServerContext
    ) async throws -> Alpha_Notification_V1_GetVapidPublicKeyResponse {
        _ = try Caller.requireUser()
        return .with { $0.key = vapid.publicKey }
    }

    public func registerPushSubscription(
        request: Alpha_Notification_V1_RegisterPushSubscriptionRequest,
        context: ServerContext
    ) async throws -> Alpha_Notification_V1_RegisterPushSubscriptionResponse {
        let me = try Caller.requireUser()
        let target: PushTarget
        switch request.type {
        case .web:
            guard !request.endpoint.isEmpty, request.endpoint.count <= Self.maxEndpointLength else {
                throw ServiceError.badRequest("endpoint missing or too long")
            }
            do {
                _ = try policy.validate(request.endpoint)
            } catch {
                throw ServiceError.badRequest("endpoint refused: \(error)")
            }
            for key in [request.p256Dh, request.auth] where key.isEmpty || key.count > Self.maxKeyLength {
                throw ServiceError.badRequest("keys.p256dh and keys.auth must be non-empty")
            }
            var expiresAt: Date?
            if !request.expirationTime.isEmpty {
                guard let date = Timestamp.date(from: request.expirationTime) else {
                    throw ServiceError.badRequest("expirationTime is not RFC 3339")
                }
                expiresAt = date
            }
            target = .web(endpoint: request.endpoint, p256dh: request.p256Dh, auth: request.auth, expiresAt: expiresAt)
        case .expo:
            guard !request.token.isEmpty, request.token.count <= Self.maxTokenLength else {
                throw ServiceError.badRequest("token missing or too long")
            }
            target = .expo(token: request.token)
        default:
            throw ServiceError.badRequest("type must be web or expo")
        }
        let id = try await store.register(target, for: me)
        return .with { $0.subscriptionID = id.uuidString.lowercased() }
    }
}
