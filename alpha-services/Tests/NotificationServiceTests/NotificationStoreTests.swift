import Foundation
import NotificationService
import Testing

@Suite("Notifications and push subscriptions on PostgreSQL")
struct NotificationStoreTests {
    @Test("a notification is stored once per id: a relayed repeat stores and queues nothing, even after deletion")
    func idempotentPerID() async throws {
        try await OutboxDatabase.with { database in
            _ = try await database.notifications.register(.expo(token: "ExponentPushToken[a]"), for: "alice")
            let id = UUID()
            let first = try await database.notify("alice", id: id)
            #expect(first.storage == NotificationStorage(stored: true, queuedWeb: 0, queuedExpo: 1))
            let repeated = try await database.notify("alice", id: id)
            #expect(repeated.storage == NotificationStorage(stored: false))
            #expect(try await database.notifications.list(recipient: "alice").count == 1)
            #expect(try await database.pushes(of: id).count == 1)

            #expect(try await database.notifications.delete(id, caller: "alice") == .deleted)
            let afterDeletion = try await database.notify("alice", id: id)
            #expect(afterDeletion.storage.stored == false)
            #expect(try await database.notifications.list(recipient: "alice").isEmpty)
        }
    }

    @Test("the list holds only the recipient's notifications, newest first")
    func listsNewestFirst() async throws {
        try await OutboxDatabase.with { database in
            let now = Date()
            let old = try await database.notify("alice", from: "bob", at: now.addingTimeInterval(-60))
            let new = try await database.notify("alice", from: "carol", type: .repost, at: now)
            _ = try await database.notify("dave", from: "bob")
            let listed = try await database.notifications.list(recipient: "alice")
            #expect(listed.map(\.id) == [new.record.id, old.record.id])
            #expect(listed.first?.actor == "carol" && listed.first?.type == .repost)
        }
    }

    @Test("delete: the recipient's own is deleted, someone else's is forbidden and kept, an unknown id not found")
    func deleteRules() async throws {
        try await OutboxDatabase.with { database in
            let notification = try await database.notify("alice").record
            #expect(try await database.notifications.delete(notification.id, caller: "mallory") == .notRecipient)
            #expect(try await database.notifications.list(recipient: "alice").count == 1)
            #expect(try await database.notifications.delete(UUID(), caller: "alice") == .notFound)
            #expect(try await database.notifications.delete(notification.id, caller: "alice") == .deleted)
            #expect(try await database.notifications.delete(notification.id, caller: "alice") == .notFound)
        }
    }

    @Test("registration is de-duplicated per (user, endpoint) and (user, token); keys of a repeat are refreshed")
    func registrationDeduplicates() async throws {
        try await OutboxDatabase.with { database in
            let store = database.notifications
            let web = try await store.register(
                .web(endpoint: "https://push.example.net/1", p256dh: "k1", auth: "a1", expiresAt: nil), for: "alice")
            let again = try await store.register(
                .web(endpoint: "https://push.example.net/1", p256dh: "k2", auth: "a2", expiresAt: nil), for: "alice")
            #expect(web == again)
            let otherUser = try await store.register(
                .web(endpoint: "https://push.example.net/1", p256dh: "k1", auth: "a1", expiresAt: nil), for: "bob")
            #expect(otherUser != web)
            let expo = try await store.register(.expo(token: "ExponentPushToken[x]"), for: "alice")
            #expect(try await store.register(.expo(token: "ExponentPushToken[x]"), for: "alice") == expo)
            #expect(expo != web)
            #expect(Set(try await database.subscriptions(of: "alice")) == [web, expo])
            var keys: [String] = []
            for try await key in try await database.client.query(
                "SELECT p256dh FROM push_subscriptions WHERE subscription_id = \(web)", logger: .quiet
            ).decode(String.self) { keys.append(key) }
            #expect(keys == ["k2"])
        }
    }

    @Test("storing a notification queues one push per subscription of the recipient, none for others")
    func queuesPerSubscription() async throws {
        try await OutboxDatabase.with { database in
            let store = database.notifications
            _ = try await store.register(
                .web(endpoint: "https://push.example.net/1", p256dh: "k", auth: "a", expiresAt: nil), for: "alice")
            _ = try await store.register(
                .web(endpoint: "https://push.example.net/2", p256dh: "k", auth: "a", expiresAt: nil), for: "alice")
            _ = try await store.register(.expo(token: "ExponentPushToken[a]"), for: "alice")
            _ = try await store.register(.expo(token: "ExponentPushToken[b]"), for: "bob")
            let (record, storage) = try await database.notify("alice")
            #expect(storage == NotificationStorage(stored: true, queuedWeb: 2, queuedExpo: 1))
            #expect(try await database.pushes(of: record.id).map(\.state) == ["queued", "queued", "queued"])
            // Nobody subscribed: the notification is stored all the same.
            let unsubscribed = try await database.notify("carol")
            #expect(unsubscribed.storage == NotificationStorage(stored: true))
        }
    }

    @Test("queue statistics count waiting pushes; the purge removes old finished pushes and old receipts only")
    func statisticsAndPurge() async throws {
        try await OutboxDatabase.with { database in
            _ = try await database.notifications.register(.expo(token: "ExponentPushToken[a]"), for: "alice")
            let old = try await database.notify("alice").record
            let recent = try await database.notify("alice").record
            #expect(try await database.pushQueue.statistics().queued == 2)
            try await database.execute(
                """
                UPDATE push_deliveries SET state = 'sent', created_at = now() - interval '10 days'
                WHERE notification_id = \(old.id)
                """)
            try await database.execute(
                "UPDATE notification_receipts SET received_at = now() - interval '10 days' WHERE notification_id = \(old.id)"
            )
            #expect(try await database.pushQueue.statistics().queued == 1)
            #expect(try await database.pushQueue.purgeFinished(olderThan: .seconds(7 * 86_400)) == 1)
            #expect(try await database.pushes(of: old.id).isEmpty)
            #expect(try await database.pushes(of: recent.id).map(\.state) == ["queued"])
            // The old receipt is gone; the recent one still guards its id.
            #expect(try await database.notify("alice", id: recent.id).storage.stored == false)
        }
    }
}
