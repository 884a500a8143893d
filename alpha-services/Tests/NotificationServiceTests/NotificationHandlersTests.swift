import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaDomain
import AlphaGRPC
import AlphaTesting
import Crypto
import Foundation
import GRPCCore
import NotificationService
import Testing

/// The Notifications and Push RPCs on the kit's full interceptor chain (in process), over PostgreSQL.
@Suite("Notifications and Push RPCs")
struct NotificationHandlersTests {
    struct Clients: Sendable, ActsAsUser {
        var notifications: any Alpha_Notification_V1_Notifications.ClientProtocol
        var push: any Alpha_Notification_V1_Push.ClientProtocol
        var database: OutboxDatabase
        var identity: TestIdentity
        var vapid: VAPIDKey
    }

    static func withService(sendCredential: Bool = true, _ body: @Sendable (Clients) async throws -> Void)
        async throws
    {
        try await OutboxDatabase.with { database in
            let identity = TestIdentity()
            let vapid = VAPIDKey(signingKey: P256.Signing.PrivateKey(), subject: "mailto:ops@example.org")
            let services: [any RegistrableRPCService] = [
                NotificationsHandler(store: database.notifications),
                PushHandler(store: database.notifications, vapid: vapid, policy: PushEndpointPolicy()),
            ]
            try await withInProcessServer(services: services, identity: identity, sendCredential: sendCredential) {
                client in
                try await body(
                    Clients(
                        notifications: Alpha_Notification_V1_Notifications.Client(wrapping: client),
                        push: Alpha_Notification_V1_Push.Client(wrapping: client), database: database,
                        identity: identity, vapid: vapid))
            }
        }
    }

    static func create(
        _ id: UUID = UUID(), type: Alpha_Notification_V1_NotificationType = .follow, to recipient: String = "alice",
        from actor: String = "bob"
    ) -> Alpha_Notification_V1_CreateNotificationRequest {
        .with {
            $0.notificationID = id.uuidString.lowercased()
            $0.type = type
            $0.recipient = recipient
            $0.actor = .with {
                $0.username = actor
                $0.nickname = actor.capitalized
            }
        }
    }

    @Test("CreateNotification stores once per id; the recipient lists it with the actor and an RFC 3339 timestamp")
    func createAndList() async throws {
        try await Self.withService { clients in
            let id = UUID()
            let first = try await clients.notifications.createNotification(Self.create(id, type: .repost))
            #expect(first.stored && first.notificationID == id.uuidString.lowercased())
            let repeated = try await clients.notifications.createNotification(Self.create(id, type: .repost))
            #expect(!repeated.stored && repeated.notificationID == first.notificationID)

            let listed = try await clients.asUser("alice") {
                try await clients.notifications.listNotifications(.init())
            }.notifications
            #expect(listed.count == 1)
            #expect(listed.first?.notificationID == id.uuidString.lowercased())
            #expect(listed.first?.type == .repost && listed.first?.actor == "bob")
            #expect(Timestamp.date(from: listed.first?.timestamp ?? "") != nil)
            let others = try await clients.asUser("bob") { try await clients.notifications.listNotifications(.init()) }
            #expect(others.notifications.isEmpty)
        }
    }

    @Test("nobody is notified of their own action (D45)")
    func selfNotificationSuppressed() async throws {
        try await Self.withService { clients in
            let answer = try await clients.notifications.createNotification(Self.create(to: "alice", from: "alice"))
            #expect(!answer.stored)
            let listed = try await clients.asUser("alice") {
                try await clients.notifications.listNotifications(.init())
            }
            #expect(listed.notifications.isEmpty)
        }
    }

    @Test("CreateNotification refuses a user's token without the service credential, and bad requests")
    func createRequiresService() async throws {
        try await Self.withService(sendCredential: false) { clients async throws in
            // A valid user token, as the gateway would forward it, but no service credential.
            let token = await clients.identity.accessToken(for: "mallory")
            let refused = await failure {
                try await clients.notifications.createNotification(
                    Self.create(), metadata: ["authorization": "Bearer \(token)"])
            }
            #expect(refused?.status == .permissionDenied && refused?.code == nil)
            let anonymous = await failure { try await clients.notifications.createNotification(Self.create()) }
            #expect(anonymous?.status == .unauthenticated)
            #expect(try await clients.database.notifications.list(recipient: "alice").isEmpty)
        }
        try await Self.withService { clients in
            var noID = Self.create()
            noID.notificationID = "nope"
            #expect(await failure { try await clients.notifications.createNotification(noID) }?.code == "ERR-001")
            #expect(
                await failure { try await clients.notifications.createNotification(Self.create(type: .unspecified)) }?
                    .code == "ERR-001")
        }
    }

    @Test("DeleteNotification: own → deleted; someone else's → 403 ERR-024; unknown or malformed → 404 ERR-023")
    func deleteRules() async throws {
        try await Self.withService { clients in
            let id = UUID()
            _ = try await clients.notifications.createNotification(Self.create(id))
            let request = Alpha_Notification_V1_DeleteNotificationRequest.with {
                $0.notificationID = id.uuidString.uppercased()
            }
            let forbidden = await failure {
                try await clients.asUser("mallory") { try await clients.notifications.deleteNotification(request) }
            }
            #expect(forbidden == RPCFailure(status: .permissionDenied, code: "ERR-024"))
            for bad in ["not-a-uuid", UUID().uuidString, ""] {
                let missing = await failure {
                    try await clients.asUser("alice") {
                        try await clients.notifications.deleteNotification(.with { $0.notificationID = bad })
                    }
                }
                #expect(missing == RPCFailure(status: .notFound, code: "ERR-023"))
            }
            _ = try await clients.asUser("alice") { try await clients.notifications.deleteNotification(request) }
            let again = await failure {
                try await clients.asUser("alice") { try await clients.notifications.deleteNotification(request) }
            }
            #expect(again?.code == "ERR-023")
        }
    }

    @Test("GetVapidPublicKey answers the configured key")
    func vapidKey() async throws {
        try await Self.withService { clients in
            let answer = try await clients.asUser("alice") { try await clients.push.getVapidPublicKey(.init()) }
            #expect(answer.key == clients.vapid.publicKey)
        }
    }

    @Test("RegisterPushSubscription de-duplicates (D46), stores Expo tokens (D13), refuses private endpoints")
    func register() async throws {
        try await Self.withService { clients in
            let web = Alpha_Notification_V1_RegisterPushSubscriptionRequest.with {
                $0.type = .web
                $0.endpoint = "https://fcm.googleapis.com/fcm/send/abc"
                $0.p256Dh = "dummy"
                $0.auth = "dummy"
            }
            let expo = Alpha_Notification_V1_RegisterPushSubscriptionRequest.with {
                $0.type = .expo
                $0.token = "some-expo-token"
            }
            try await clients.asUser("alice") {
                let first = try await clients.push.registerPushSubscription(web)
                let again = try await clients.push.registerPushSubscription(web)
                #expect(first.subscriptionID == again.subscriptionID)
                let token = try await clients.push.registerPushSubscription(expo)
                #expect(token.subscriptionID != first.subscriptionID)
                #expect(try await clients.push.registerPushSubscription(expo).subscriptionID == token.subscriptionID)
            }
            #expect(try await clients.database.subscriptions(of: "alice").count == 2)

            for endpoint in [
                "http://fcm.googleapis.com/x", "https://169.254.169.254/x", "https://localhost:8443/x", "",
            ] {
                var refused = web
                refused.endpoint = endpoint
                let outcome = await failure {
                    try await clients.asUser("alice") { try await clients.push.registerPushSubscription(refused) }
                }
                #expect(outcome?.code == "ERR-001", "\(endpoint)")
            }
            var badExpiry = web
            badExpiry.expirationTime = "tomorrow"
            let badExpiryOutcome = await failure {
                try await clients.asUser("alice") { try await clients.push.registerPushSubscription(badExpiry) }
            }
            #expect(badExpiryOutcome?.code == "ERR-001")
            let noType = await failure {
                try await clients.asUser("alice") {
                    try await clients.push.registerPushSubscription(.with { $0.type = .unspecified })
                }
            }
            #expect(noType?.code == "ERR-001")
        }
    }
}
