import AlphaContracts
import AlphaGRPC
import AlphaServicesTesting
import AlphaTesting
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import NIOHTTP1
import Testing

/// E26–E29 and the follow notification over the real path: HTTP → gateway → gRPC → services →
/// PostgreSQL, with pushes going out over HTTP to a fake push service (which decrypts them and verifies
/// VAPID) and a fake Expo.
@Suite("Notifications and push over the real executables", .serialized)
struct NotificationFlowTests {
    struct Scene: Sendable {
        var client: AccountClient
        var system: RunningSystem
        var database: TestDatabase
        var push: FakePushService
        var expo: FakeExpo
    }

    func withSystem(
        insecureEndpoints: Bool = true,
        extraEnvironment: [String: [String: String]] = [:],
        _ body: @Sendable (Scene) async throws -> Void
    ) async throws {
        try await withFakeMailgun(domain: "mail.test.example") { mailgun in
            try await withFakePushService { push in
                try await withFakeExpo { expo in
                    let pushSettings = [
                        "PUSH_ALLOW_INSECURE_ENDPOINTS": "\(insecureEndpoints)", "PUSH_POLL_SECONDS": "0.2",
                        "PUSH_BACKOFF_BASE_SECONDS": "0.5", "PUSH_BACKOFF_MAX_SECONDS": "1",
                        "EXPO_API_BASE": expo.apiBase,
                    ]
                    let environment = ["notification-service": pushSettings].merging(extraEnvironment) {
                        $0.merging($1) { _, new in new }
                    }
                    try await withRunningSystem(mailingThrough: mailgun, environment: { _ in environment }) {
                        client, system, database in
                        try await body(
                            Scene(client: client, system: system, database: database, push: push, expo: expo))
                    }
                }
            }
        }
    }

    @Test("E28 serves the VAPID key; E29 registers web and Expo subscriptions, a repeat answers the same id")
    func registration() async throws {
        try await withSystem { scene in
            let alice = try await scene.client.activatedUser("alice")
            let vapid = try await scene.client.call(.GET, "/api/push/vapid", token: alice)
            #expect(vapid.status == 200 && Set(vapid.json.keys) == ["key"])
            #expect(vapid.json["key"] as? String == scene.system.vapid.publicKey)

            let subscription = await scene.push.subscribe(applicationServerKey: scene.system.vapid.publicKey)
            let first = try await scene.client.call(
                .POST, "/api/push/register", subscription.registrationJSON, token: alice)
            #expect(first.status == 201 && Set(first.json.keys) == ["subscriptionId"])
            let again = try await scene.client.call(
                .POST, "/api/push/register", subscription.registrationJSON, token: alice)
            #expect(
                again.status == 201
                    && again.json["subscriptionId"] as? String == first.json["subscriptionId"] as? String)

            // The browser form with a numeric expirationTime and the Tests' dummy Expo token are accepted.
            let numeric = subscription.registrationJSON.replacingOccurrences(
                of: #""expirationTime":null"#, with: #""expirationTime":1893456000000"#)
            #expect(try await scene.client.call(.POST, "/api/push/register", numeric, token: alice).status == 201)
            let expo = try await scene.client.call(
                .POST, "/api/push/register", #"{"type":"expo","token":"some-expo-token"}"#, token: alice)
            #expect(expo.status == 201)
            #expect(expo.json["subscriptionId"] as? String != first.json["subscriptionId"] as? String)

            let notifications = try await scene.client.call(.GET, "/api/notifications", token: alice)
            #expect(notifications.status == 200)
            #expect((notifications.json["records"] as? [Any])?.isEmpty == true)
            let unknown = try await scene.client.call(
                .DELETE, "/api/notifications/\(UUID().uuidString.lowercased())", token: alice)
            #expect(unknown.status == 404 && unknown.errorCode == "ERR-023")
        }
    }

    @Test("with insecure endpoints off (the default), E29 refuses http and private-address endpoints with 400")
    func refusesPrivateEndpoints() async throws {
        try await withSystem(insecureEndpoints: false) { scene in
            let alice = try await scene.client.activatedUser("alice")
            for endpoint in [
                "https://169.254.169.254/latest", "https://127.0.0.1:8443/x", "https://[::1]/x", "https://10.0.0.7/x",
                "https://localhost/x", "http://fcm.googleapis.com/fcm/send/x", "ftp://push.example.net/x",
                await scene.push.subscribe().endpoint,
            ] {
                let body =
                    #"{"type":"web","subscription":{"endpoint":"\#(endpoint)","keys":{"p256dh":"k","auth":"a"}}}"#
                let reply = try await scene.client.call(.POST, "/api/push/register", body, token: alice)
                #expect(reply.status == 400 && reply.errorCode == "ERR-001", "\(endpoint)")
            }
            let accepted = try await scene.client.call(
                .POST, "/api/push/register",
                #"{"type":"web","subscription":{"endpoint":"https://fcm.googleapis.com/fcm/send/x","keys":{"p256dh":"k","auth":"a"}}}"#,
                token: alice)
            #expect(accepted.status == 201)
        }
    }

    /// Calls `CreateNotification` on the running notification service as a relaying service would (with
    /// the service credential), `count` times with the same id.
    func relayNotification(
        _ scene: Scene, id: UUID = UUID(), type: Alpha_Notification_V1_NotificationType = .repost, to recipient: String,
        from actor: String, count: Int = 1
    ) async throws -> [Bool] {
        let transport = try HTTP2ClientTransport.Posix(
            target: .ipv4(address: "127.0.0.1", port: scene.system.ports.grpc["notification-service"]!),
            transportSecurity: .plaintext)
        return try await withGRPCClient(
            transport: transport, interceptors: [CredentialInterceptor(credential: scene.system.identity.credential)]
        ) { client in
            let notifications = Alpha_Notification_V1_Notifications.Client(wrapping: client)
            var stored: [Bool] = []
            for _ in 0..<count {
                stored.append(
                    try await notifications.createNotification(
                        .with {
                            $0.notificationID = id.uuidString.lowercased()
                            $0.type = type
                            $0.recipient = recipient
                            $0.actor = .with {
                                $0.username = actor
                                $0.nickname = actor.capitalized
                            }
                        }
                    ).stored)
            }
            return stored
        }
    }

    @Test("a relayed notification (repeated id) is stored once, listed by E26, and its push decrypted once")
    func relayedNotification() async throws {
        try await withSystem { scene in
            let bob = try await scene.client.activatedUser("bob")
            _ = try await scene.client.activatedUser("carol")
            let browser = await scene.push.subscribe(applicationServerKey: scene.system.vapid.publicKey)
            #expect(
                try await scene.client.call(.POST, "/api/push/register", browser.registrationJSON, token: bob).status
                    == 201)
            #expect(
                try await scene.client.call(
                    .POST, "/api/push/register", #"{"type":"expo","token":"ExponentPushToken[bob]"}"#, token: bob
                ).status == 201)

            #expect(try await relayNotification(scene, to: "bob", from: "carol", count: 3) == [true, false, false])

            let pushes = try await scene.push.waitForDeliveries(to: browser)
            #expect(pushes.count == 1)
            let push = try #require(pushes.first)
            #expect(push.json["notificationType"] as? String == "repost")
            #expect((push.json["user"] as? [String: Any])?["nickname"] as? String == "Carol")
            let expo = try await scene.expo.waitForMessages(to: "ExponentPushToken[bob]")
            #expect(expo.first?.title == "New Repost!" && expo.first?.body == "carol reposted your post")

            let listed = try await scene.client.call(.GET, "/api/notifications", token: bob)
            let records = try #require(listed.json["records"] as? [[String: Any]])
            #expect(records.count == 1)
            #expect(records.first?["notificationId"] as? String == push.json["notificationId"] as? String)
            // E26 resolves the actor with the user service: carol's real (empty) nickname and her picture.
            let user = try #require(records.first?["user"] as? [String: Any])
            #expect(user["username"] as? String == "carol" && user["nickname"] as? String == "")
            #expect(Set((user["picture"] as? [String: Any] ?? [:]).keys) == ["url", "width", "height"])
            try await Task.sleep(for: .milliseconds(500))
            #expect(await scene.push.deliveries(to: browser).count == 1)
        }
    }

    @Test("over the real processes: a push service outage delays a push without losing it; a 410 prunes")
    func relayedOutageAndPruning() async throws {
        try await withSystem { scene in
            let bob = try await scene.client.activatedUser("bob")
            let browser = await scene.push.subscribe()
            #expect(
                try await scene.client.call(.POST, "/api/push/register", browser.registrationJSON, token: bob).status
                    == 201)
            await scene.push.failAll(status: 503)
            _ = try await relayNotification(scene, to: "bob", from: "carol")
            let deadline = ContinuousClock.now + .seconds(20)
            while await scene.push.statuses().count < 2, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(await scene.push.statuses().prefix(2) == [503, 503])
            await scene.push.recover()
            #expect(try await scene.push.waitForDeliveries(to: browser).count == 1)

            await scene.push.expire(browser)
            _ = try await relayNotification(scene, to: "bob", from: "dave")
            let pruneDeadline = ContinuousClock.now + .seconds(20)
            while await !scene.push.statuses().contains(410), ContinuousClock.now < pruneDeadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            _ = try await relayNotification(scene, to: "bob", from: "erin")
            try await Task.sleep(for: .seconds(2))
            // One 410, then nothing more: the subscription is gone; all three notifications are listed.
            #expect(await scene.push.statuses().filter { $0 == 410 }.count == 1)
            #expect(await scene.push.statuses().last == 410)
            let listed = try await scene.client.call(.GET, "/api/notifications", token: bob)
            #expect((listed.json["records"] as? [Any])?.count == 3)
        }
    }

    @Test("follow → bob's notification is listed with alice as actor → his browser decrypts the push; E27 rules")
    func followNotification() async throws {
        try await withSystem { scene in
            let alice = try await scene.client.activatedUser("alice")
            let bob = try await scene.client.activatedUser("bob")
            let mallory = try await scene.client.activatedUser("mallory")
            let browser = try await registeredBrowser(scene, token: bob)
            #expect(
                try await scene.client.call(
                    .POST, "/api/push/register", #"{"type":"expo","token":"ExponentPushToken[bob]"}"#, token: bob
                ).status == 201)

            let follow = try await scene.client.call(.POST, "/api/subscriptions", #"{"following":"bob"}"#, token: alice)
            #expect(follow.status == 201)

            let pushes = try await scene.push.waitForDeliveries(to: browser)
            let push = try #require(pushes.first)
            #expect(pushes.count == 1)
            #expect(push.json["notificationType"] as? String == "follow")
            #expect((push.json["user"] as? [String: Any])?["username"] as? String == "alice")
            let expo = try await scene.expo.waitForMessages(to: "ExponentPushToken[bob]")
            #expect(expo.first?.title == "New Follower!" && expo.first?.body == "alice started following you")

            let listed = try await scene.client.call(.GET, "/api/notifications", token: bob)
            #expect(listed.status == 200)
            let records = try #require(listed.json["records"] as? [[String: Any]])
            #expect(records.count == 1)
            let record = try #require(records.first)
            #expect(Set(record.keys) == ["notificationId", "timestamp", "notificationType", "user"])
            #expect(record["notificationType"] as? String == "follow")
            #expect(record["notificationId"] as? String == push.json["notificationId"] as? String)
            #expect(record["timestamp"] as? String == push.json["timestamp"] as? String)
            let user = try #require(record["user"] as? [String: Any])
            #expect(user["username"] as? String == "alice")
            #expect(Set((user["picture"] as? [String: Any] ?? [:]).keys) == ["url", "width", "height"])
            // The follower is not notified; nobody else sees bob's notification.
            let aliceList = try await scene.client.call(.GET, "/api/notifications", token: alice)
            #expect((aliceList.json["records"] as? [Any])?.isEmpty == true)

            let id = try #require(record["notificationId"] as? String)
            let foreign = try await scene.client.call(.DELETE, "/api/notifications/\(id)", token: mallory)
            #expect(foreign.status == 403 && foreign.errorCode == "ERR-024")
            let malformed = try await scene.client.call(.DELETE, "/api/notifications/unknownnotification", token: bob)
            #expect(malformed.status == 404 && malformed.errorCode == "ERR-023")
            #expect(try await scene.client.call(.DELETE, "/api/notifications/\(id)", token: bob).status == 204)
            let gone = try await scene.client.call(.DELETE, "/api/notifications/\(id)", token: bob)
            #expect(gone.status == 404 && gone.errorCode == "ERR-023")
        }
    }

    @Test("a follow succeeds while the notification service is down; the notification and push arrive when it is back")
    func followWhileNotificationServiceDown() async throws {
        try await withSystem(extraEnvironment: ["user-service": ["OUTBOX_BACKOFF_MAX_SECONDS": "1"]]) { scene in
            let alice = try await scene.client.activatedUser("alice")
            let bob = try await scene.client.activatedUser("bob")
            let browser = await scene.push.subscribe()
            #expect(
                try await scene.client.call(.POST, "/api/push/register", browser.registrationJSON, token: bob).status
                    == 201)

            await scene.system.stop("notification-service")
            let follow = try await scene.client.call(.POST, "/api/subscriptions", #"{"following":"bob"}"#, token: alice)
            #expect(follow.status == 201)
            try await Task.sleep(for: .seconds(1))
            #expect(await scene.push.deliveries(to: browser).isEmpty)

            try await scene.system.restart("notification-service")
            let pushes = try await scene.push.waitForDeliveries(to: browser, timeout: .seconds(40))
            #expect(pushes.count == 1)
            #expect((pushes.first?.json["user"] as? [String: Any])?["username"] as? String == "alice")
            let listed = try await scene.client.call(.GET, "/api/notifications", token: bob)
            #expect((listed.json["records"] as? [Any])?.count == 1)
        }
    }

    @Test("repost → the original's author lists a repost notification with the reposter; a self-repost notifies nobody")
    func repostNotification() async throws {
        try await withSystem { scene in
            let alice = try await scene.client.activatedUser("alice")
            let bob = try await scene.client.activatedUser("bob")
            let browser = try await registeredBrowser(scene, token: bob)
            let original = try await scene.client.call(.POST, "/api/posts", #"{"content":"original"}"#, token: bob)
            let originalID = try #require(original.json["postId"] as? String)

            // D45: bob reposting his own post notifies nobody.
            let own = try await scene.client.call(
                .POST, "/api/posts", #"{"repostedPostId":"\#(originalID)"}"#, token: bob)
            #expect(own.status == 201)
            let repost = try await scene.client.call(
                .POST, "/api/posts", #"{"repostedPostId":"\#(originalID)"}"#, token: alice)
            #expect(repost.status == 201)

            let pushes = try await scene.push.waitForDeliveries(to: browser)
            #expect(pushes.count == 1)
            #expect(pushes.first?.json["notificationType"] as? String == "repost")
            #expect((pushes.first?.json["user"] as? [String: Any])?["username"] as? String == "alice")
            let listed = try await scene.client.call(.GET, "/api/notifications", token: bob)
            #expect(listed.status == 200)
            let records = try #require(listed.json["records"] as? [[String: Any]])
            #expect(records.count == 1)
            #expect(records.first?["notificationType"] as? String == "repost")
            let user = try #require(records.first?["user"] as? [String: Any])
            #expect(user["username"] as? String == "alice")
            // E26 resolves the actor afresh (the post service knows only the reposter's username).
            let profile = try await scene.client.call(.GET, "/api/users/alice", token: bob)
            #expect(user["nickname"] as? String == profile.json["nickname"] as? String)
            let aliceList = try await scene.client.call(.GET, "/api/notifications", token: alice)
            #expect((aliceList.json["records"] as? [Any])?.isEmpty == true)
            // Nothing more arrives: the self-repost wrote no notification.
            try await Task.sleep(for: .seconds(1))
            #expect(await scene.push.deliveries(to: browser).count == 1)
        }
    }

    /// A browser subscribed with the system's VAPID key and registered (E29) for the user of `token`.
    func registeredBrowser(_ scene: Scene, token: String) async throws -> FakePushService.Subscription {
        let browser = await scene.push.subscribe(applicationServerKey: scene.system.vapid.publicKey)
        #expect(
            try await scene.client.call(.POST, "/api/push/register", browser.registrationJSON, token: token).status
                == 201)
        return browser
    }
}
