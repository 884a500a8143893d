import AlphaCore
import AlphaServicesTesting
import Crypto
import Foundation
import Logging
import NotificationService
import Testing

/// The push worker against real PostgreSQL, a fake push service that decrypts and verifies every push,
/// and a fake Expo — all reached over real HTTP through the configured URLs.
@Suite("Push delivery")
struct PushDeliveryWorkerTests {
    struct Scene: Sendable {
        var database: OutboxDatabase
        var push: FakePushService
        var expo: FakeExpo
        var vapid: VAPIDKey
        var worker: PushDeliveryWorker
        var metrics: RecordingMetrics
    }

    static func withScene(
        policy: PushEndpointPolicy = PushEndpointPolicy(allowInsecure: true),
        resolver: any HostResolver = SystemHostResolver(),
        maxAttempts: Int = 5,
        batchSize: Int = 10,
        _ body: @Sendable (Scene) async throws -> Void
    ) async throws {
        try await OutboxDatabase.with { database in
            try await withFakePushService { push in
                try await withFakeExpo { expo in
                    let vapid = VAPIDKey(signingKey: P256.Signing.PrivateKey(), subject: "mailto:ops@example.org")
                    let metrics = RecordingMetrics()
                    let worker = PushDeliveryWorker(
                        queue: database.pushQueue,
                        web: WebPushSender(
                            vapid: vapid, policy: policy, resolver: resolver, timeout: .seconds(5), logger: .quiet),
                        expo: ExpoPushSender(apiBase: expo.apiBase, timeout: .seconds(5), logger: .quiet),
                        configuration: DeliveryConfiguration(
                            maxAttempts: maxAttempts, backoff: RetryBackoff(base: .seconds(60), maximum: .seconds(60)),
                            batchSize: batchSize, sendTimeout: .seconds(5)),
                        metrics: PushMetrics(factory: metrics),
                        logger: .quiet
                    )
                    try await body(
                        Scene(
                            database: database, push: push, expo: expo, vapid: vapid, worker: worker, metrics: metrics))
                }
            }
        }
    }

    static func register(_ subscription: FakePushService.Subscription, for user: String, in scene: Scene) async throws {
        _ = try await scene.database.notifications.register(
            .web(endpoint: subscription.endpoint, p256dh: subscription.p256dh, auth: subscription.auth, expiresAt: nil),
            for: user)
    }

    @Test("a web push arrives encrypted per RFC 8291 with a valid VAPID token; the fake decrypts the §5.3 payload")
    func webPushDecrypts() async throws {
        try await Self.withScene { scene in
            let subscription = await scene.push.subscribe(applicationServerKey: scene.vapid.publicKey)
            try await Self.register(subscription, for: "alice", in: scene)
            let (record, _) = try await scene.database.notify("alice", from: "bob")

            #expect(try await scene.worker.deliverDue() == 1)

            let delivery = try #require(await scene.push.deliveries(to: subscription).first)
            #expect(delivery.ttl == 300)
            #expect(delivery.vapid.audience == scene.push.origin && delivery.vapid.subject == "mailto:ops@example.org")
            let json = delivery.json
            #expect(Set(json.keys) == ["notificationId", "timestamp", "notificationType", "user"])
            #expect(json["notificationId"] as? String == record.id.uuidString.lowercased())
            #expect(json["notificationType"] as? String == "follow")
            let timestamp = try #require(json["timestamp"] as? String)
            #expect(timestamp.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"#, options: .regularExpression) != nil)
            let user = try #require(json["user"] as? [String: Any])
            #expect(user["username"] as? String == "bob" && user["nickname"] as? String == "Bob")
            #expect(Set((user["picture"] as? [String: Any] ?? [:]).keys) == ["url", "width", "height"])
            #expect(try await scene.database.pushes(of: record.id).map(\.state) == ["sent"])
            #expect(scene.metrics.counter("push_sent_total", [("kind", "web")]) == 1)
            // Sent pushes are not claimed again.
            #expect(try await scene.worker.deliverDue() == 0)
        }
    }

    @Test("a push service outage (503, 429) delays a push but loses nothing: it is retried and delivered once")
    func outageDelays() async throws {
        try await Self.withScene { scene in
            let subscription = await scene.push.subscribe()
            try await Self.register(subscription, for: "alice", in: scene)
            let (record, _) = try await scene.database.notify("alice")
            await scene.push.failNext(1, status: 503)
            await scene.push.failNext(1, status: 429)

            #expect(try await scene.worker.deliverDue() == 1)
            let afterFirst = try await scene.database.pushes(of: record.id)
            #expect(afterFirst.map(\.state) == ["queued"] && afterFirst.first?.attempts == 1)
            #expect(afterFirst.first?.lastError?.contains("503") == true)
            // Backed off: not due again yet.
            #expect(try await scene.worker.deliverDue() == 0)

            try await scene.database.makePushesDue()
            #expect(try await scene.worker.deliverDue() == 1)
            try await scene.database.makePushesDue()
            #expect(try await scene.worker.deliverDue() == 1)

            #expect(await scene.push.statuses() == [503, 429, 201])
            #expect(await scene.push.deliveries(to: subscription).count == 1)
            #expect(try await scene.database.pushes(of: record.id).map(\.state) == ["sent"])
            #expect(scene.metrics.counter("push_retried_total", [("kind", "web")]) == 2)
            #expect(scene.metrics.counter("push_sent_total", [("kind", "web")]) == 1)
        }
    }

    @Test("a 429 with Retry-After is retried no sooner than the push service asks, even when backoff is shorter")
    func honoursRetryAfter() async throws {
        try await Self.withScene { scene in
            let subscription = await scene.push.subscribe()
            try await Self.register(subscription, for: "alice", in: scene)
            let (record, _) = try await scene.database.notify("alice")
            await scene.push.failNext(1, status: 429, retryAfter: 600)

            #expect(try await scene.worker.deliverDue() == 1)

            // The scene's backoff is 60 s; the push service asked for 600.
            var wait = 0.0
            for try await seconds in try await scene.database.client.query(
                """
                SELECT EXTRACT(EPOCH FROM next_attempt_at - now())::float8 FROM push_deliveries
                WHERE notification_id = \(record.id)
                """,
                logger: .quiet
            ).decode(Double.self) {
                wait = seconds
            }
            #expect(wait > 590 && wait <= 601)
            #expect(try await scene.database.pushes(of: record.id).map(\.state) == ["queued"])
            #expect(scene.metrics.counter("push_retried_total", [("kind", "web")]) == 1)
        }
    }

    @Test("a push claimed by a worker that died is delivered by the next pass once the lease runs out")
    func claimOfDeadWorkerIsTakenOver() async throws {
        try await Self.withScene { scene in
            let subscription = await scene.push.subscribe()
            try await Self.register(subscription, for: "alice", in: scene)
            let (record, _) = try await scene.database.notify("alice")
            // A worker claims the push and dies before sending it.
            let lease = Duration.seconds(1)
            let beforeClaim = ContinuousClock.now
            #expect(try await scene.database.pushQueue.claimDue(limit: 10, lease: lease).count == 1)
            // Never sent while the lease runs; on a loaded machine the lease may have run out by the time the
            // next pass starts, and then that pass sends it.
            if try await scene.worker.deliverDue() == 1 {
                #expect(ContinuousClock.now - beforeClaim >= lease)
            } else {
                #expect(try await eventually { try await scene.worker.deliverDue() == 1 })
            }

            #expect(await scene.push.deliveries(to: subscription).count == 1)
            let pushes = try await scene.database.pushes(of: record.id)
            #expect(pushes.map(\.state) == ["sent"] && pushes.first?.attempts == 2)
        }
    }

    @Test("after the last attempt a push is marked failed; the notification itself stays listed")
    func givesUp() async throws {
        try await Self.withScene(maxAttempts: 2) { scene in
            let subscription = await scene.push.subscribe()
            try await Self.register(subscription, for: "alice", in: scene)
            let (record, _) = try await scene.database.notify("alice")
            await scene.push.failAll(status: 500)
            try await scene.worker.deliverDue()
            try await scene.database.makePushesDue()
            try await scene.worker.deliverDue()
            #expect(try await scene.database.pushes(of: record.id).map(\.state) == ["failed"])
            #expect(scene.metrics.counter("push_failed_total", [("kind", "web")]) == 1)
            #expect(try await scene.database.notifications.list(recipient: "alice").map(\.id) == [record.id])
        }
    }

    @Test("410 Gone and 404 prune the subscription; later notifications no longer push to it")
    func goneSubscriptionsArePruned() async throws {
        try await Self.withScene { scene in
            let gone = await scene.push.subscribe()
            let alive = await scene.push.subscribe()
            try await Self.register(gone, for: "alice", in: scene)
            try await Self.register(alive, for: "alice", in: scene)
            // An endpoint the push service does not know answers 404.
            _ = try await scene.database.notifications.register(
                .web(
                    endpoint: "\(scene.push.origin)/push/unknown", p256dh: alive.p256dh, auth: alive.auth,
                    expiresAt: nil), for: "alice")
            await scene.push.expire(gone)
            _ = try await scene.database.notify("alice")

            #expect(try await scene.worker.deliverDue() == 3)

            #expect(try await scene.database.subscriptions(of: "alice").count == 1)
            #expect(scene.metrics.counter("push_pruned_total", [("kind", "web")]) == 2)
            #expect(await scene.push.deliveries(to: alive).count == 1)
            let (second, storage) = try await scene.database.notify("alice")
            #expect(storage.queuedWeb == 1)
            try await scene.worker.deliverDue()
            #expect(await scene.push.deliveries(to: alive).count == 2)
            #expect(try await scene.database.pushes(of: second.id).map(\.state) == ["sent"])
        }
    }

    @Test("dummy keys (accepted at registration, D13) and an expired subscription are pruned, not retried")
    func unusableSubscriptionsArePruned() async throws {
        try await Self.withScene { scene in
            let subscription = await scene.push.subscribe()
            _ = try await scene.database.notifications.register(
                .web(endpoint: subscription.endpoint, p256dh: "dummy-p256dh", auth: "dummy-auth", expiresAt: nil),
                for: "alice")
            let expired = await scene.push.subscribe()
            _ = try await scene.database.notifications.register(
                .web(
                    endpoint: expired.endpoint, p256dh: expired.p256dh, auth: expired.auth,
                    expiresAt: Date().addingTimeInterval(-60)), for: "alice")
            _ = try await scene.database.notify("alice")
            #expect(try await scene.worker.deliverDue() == 2)
            #expect(try await scene.database.subscriptions(of: "alice").isEmpty)
            #expect(await scene.push.statuses().isEmpty)
        }
    }

    @Test("with insecure endpoints off, a push to an endpoint resolving to a private address is refused, not sent")
    func refusesPrivateAtSendTime() async throws {
        struct Rebinding: HostResolver {
            func addresses(of host: String) async -> [String] { ["127.0.0.1"] }
        }
        try await Self.withScene(policy: PushEndpointPolicy(), resolver: Rebinding()) { scene in
            // Registered while it resolved publicly; now the name points at loopback.
            _ = try await scene.database.notifications.register(
                .web(endpoint: "https://push.rebind.example/x", p256dh: "k", auth: "a", expiresAt: nil), for: "alice")
            let (record, _) = try await scene.database.notify("alice")
            #expect(try await scene.worker.deliverDue() == 1)
            let pushes = try await scene.database.pushes(of: record.id)
            #expect(pushes.map(\.state) == ["failed"])
            #expect(pushes.first?.lastError?.contains("not a public address") == true)
            #expect(await scene.push.statuses().isEmpty)
        }
    }

    @Test("Expo: §5.3 titles and bodies (D15 for message), batches of at most 100, DeviceNotRegistered prunes")
    func expo() async throws {
        try await Self.withScene { scene in
            let store = scene.database.notifications
            _ = try await store.register(.expo(token: "ExponentPushToken[alice]"), for: "alice")
            _ = try await store.register(.expo(token: "ExponentPushToken[gone]"), for: "alice")
            await scene.expo.unregister("ExponentPushToken[gone]")
            _ = try await scene.database.notify("alice", from: "bob", type: .follow)
            _ = try await scene.database.notify("alice", from: "carol", type: .repost)
            _ = try await scene.database.notify("alice", from: "dave", type: .message)

            #expect(try await scene.worker.deliverDue() == 6)

            let messages = await scene.expo.accepted()
            #expect(
                Set(messages.map { "\($0.title ?? "")|\($0.body ?? "")" }) == [
                    "New Follower!|bob started following you", "New Repost!|carol reposted your post",
                    "New Message!|dave sent you a message",
                ])
            #expect(messages.allSatisfy { $0.dataJSON["notificationId"] is String })
            #expect(await scene.expo.batchSizes() == [6])
            #expect(try await scene.database.subscriptions(of: "alice").count == 1)
            #expect(scene.metrics.counter("push_pruned_total", [("kind", "expo")]) == 1)
            #expect(scene.metrics.counter("push_sent_total", [("kind", "expo")]) == 3)
        }
    }

    @Test("Expo requests carry at most 100 messages")
    func expoBatches() async throws {
        try await Self.withScene(batchSize: 200) { scene in
            for index in 0..<120 {
                _ = try await scene.database.notifications.register(
                    .expo(token: "ExponentPushToken[\(index)]"), for: "alice")
            }
            _ = try await scene.database.notify("alice")
            #expect(try await scene.worker.deliverDue() == 120)
            #expect(await scene.expo.accepted().count == 120)
            #expect(await scene.expo.batchSizes().sorted() == [20, 100])
        }
    }

    @Test("an Expo outage (503) is retried; the message arrives once when Expo is back")
    func expoOutage() async throws {
        try await Self.withScene { scene in
            _ = try await scene.database.notifications.register(.expo(token: "ExponentPushToken[a]"), for: "alice")
            let (record, _) = try await scene.database.notify("alice")
            await scene.expo.failNext(1, status: 503)
            try await scene.worker.deliverDue()
            #expect(try await scene.database.pushes(of: record.id).map(\.state) == ["queued"])
            try await scene.database.makePushesDue()
            try await scene.worker.deliverDue()
            #expect(try await scene.database.pushes(of: record.id).map(\.state) == ["sent"])
            #expect(await scene.expo.accepted().count == 1)
            #expect(scene.metrics.counter("push_retried_total", [("kind", "expo")]) == 1)
        }
    }
}
