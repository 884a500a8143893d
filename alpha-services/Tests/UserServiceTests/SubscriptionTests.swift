import AlphaContracts
import AlphaDomain
import Foundation
import GRPCCore
import NotificationOutbox
import Testing
import UserService

@Suite("CreateSubscription, DeleteSubscription, ListSubscriptions (E13–E15)")
struct SubscriptionTests {
    func follow(_ harness: UserServiceHarness, _ follower: String, _ following: String) async throws
        -> Alpha_User_V1_Subscription
    {
        try await harness.asUser(follower) {
            try await harness.subscriptions.createSubscription(.with { $0.following = following })
        }
    }

    @Test("follow answers a lowercase v4 id, the time in RFC 3339 seconds, follower and following")
    func followShape() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice")
            try await harness.register("bob")  // not activated: following them is allowed
            let subscription = try await follow(harness, "alice", "bob")
            #expect(ValidationRules.isValidUUID4(subscription.subscriptionID))
            #expect(subscription.createdAt == Timestamp.string(from: harness.clock.now()))
            #expect(subscription.createdAt.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/) != nil)
            #expect(subscription.follower == "alice")
            #expect(subscription.following == "bob")
        }
    }

    @Test("self-follow ERR-017 (checked first), unknown user ERR-004, already following ERR-016, bad name ERR-001")
    func followErrors() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice")
            try await harness.register("bob")
            await harness.asUser("ghost") {
                await expectError(.subscriptionSelfFollow, status: .failedPrecondition) {
                    try await harness.subscriptions.createSubscription(.with { $0.following = "ghost" })
                }
            }
            try await harness.asUser("alice") {
                await expectError(.subscriptionSelfFollow) {
                    try await harness.subscriptions.createSubscription(.with { $0.following = "alice" })
                }
                await expectError(.userNotFound, status: .notFound) {
                    try await harness.subscriptions.createSubscription(.with { $0.following = "nobody" })
                }
                await expectError(.badRequest) {
                    try await harness.subscriptions.createSubscription(.with { $0.following = "not valid!" })
                }
                _ = try await harness.subscriptions.createSubscription(.with { $0.following = "bob" })
                await expectError(.subscriptionAlreadyExists, status: .alreadyExists) {
                    try await harness.subscriptions.createSubscription(.with { $0.following = "bob" })
                }
            }
            // A follower whose account is gone cannot follow (foreign key), answered as unknown user.
            await harness.asUser("ghost") {
                await expectError(.userNotFound) {
                    try await harness.subscriptions.createSubscription(.with { $0.following = "bob" })
                }
            }
        }
    }

    @Test("two concurrent identical follows: one succeeds, the other answers ERR-016")
    func followRace() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice")
            try await harness.register("bob")
            let outcomes = await concurrentOutcomes(4) { _ in
                _ = try await follow(harness, "alice", "bob")
            }
            #expect(outcomes.filter { $0 == "ok" }.count == 1)
            #expect(outcomes.filter { $0 == ErrorCode.subscriptionAlreadyExists.code }.count == 3)

            // The constraint itself, past the handler: a duplicate insert maps to alreadyExists.
            let repository = PostgresSubscriptionRepository(client: harness.userDatabase, logger: harness.logger)
            await #expect(throws: SubscriptionConflict.alreadyExists) {
                try await repository.create(
                    SubscriptionRecord(id: UUID(), createdAt: Date(), follower: "alice", following: "bob")
                )
            }
        }
    }

    @Test("unfollow: malformed or unknown id ERR-015, someone else's ERR-018, own deleted (id case-insensitive)")
    func unfollow() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice")
            try await harness.register("bob")
            let subscription = try await follow(harness, "alice", "bob")
            func delete(_ id: String, as username: String) async throws {
                try await harness.asUser(username) {
                    _ = try await harness.subscriptions.deleteSubscription(.with { $0.subscriptionID = id })
                }
            }
            await expectError(.subscriptionNotFound, status: .notFound) {
                try await delete("unknownsubscription", as: "alice")
            }
            await expectError(.subscriptionNotFound) { try await delete("", as: "alice") }
            await expectError(.subscriptionNotFound) { try await delete(UUID().uuidString.lowercased(), as: "alice") }
            await expectError(.unsubscribeForbidden, status: .permissionDenied) {
                try await delete(subscription.subscriptionID, as: "bob")
            }
            try await delete(subscription.subscriptionID.uppercased(), as: "alice")
            await expectError(.subscriptionNotFound) { try await delete(subscription.subscriptionID, as: "alice") }
            // Following again works after an unfollow.
            _ = try await follow(harness, "alice", "bob")
        }
    }

    @Test("lists are newest first, with follower/following ids relative to the caller, and the total of the user")
    func listing() async throws {
        try await UserServiceHarness.run { harness in
            for name in ["me", "ann", "ben", "cat", "star"] {
                try await harness.register(name, nickname: "nick-\(name)")
            }
            // In time order, one second apart.
            var ids: [String: String] = [:]
            for (follower, following) in [
                ("ann", "star"), ("ben", "star"), ("cat", "star"), ("ann", "me"), ("me", "ben"), ("star", "ann"),
            ] {
                ids["\(follower)→\(following)"] = try await follow(harness, follower, following).subscriptionID
                harness.clock.advance(by: 1)
            }

            func list(
                _ username: String, _ direction: Alpha_User_V1_SubscriptionDirection, offset: Int32 = 0,
                limit: Int32 = 10
            )
                async throws -> Alpha_User_V1_ListSubscriptionsResponse
            {
                try await harness.asUser("me") {
                    try await harness.subscriptions.listSubscriptions(
                        .with {
                            $0.username = username
                            $0.direction = direction
                            $0.offset = offset
                            $0.limit = limit
                        }
                    )
                }
            }

            let followers = try await list("star", .followers)
            #expect(followers.records.map(\.username) == ["cat", "ben", "ann"])
            #expect(followers.total == 3)
            let byName = Dictionary(uniqueKeysWithValues: followers.records.map { ($0.username, $0) })
            // ann follows me; I follow ben; cat and I are strangers.
            #expect(byName["ann"]?.followerID == ids["ann→me"])
            #expect(byName["ann"]?.followingID == "")
            #expect(byName["ben"]?.followerID == "")
            #expect(byName["ben"]?.followingID == ids["me→ben"])
            #expect(byName["cat"]?.followerID == "")
            #expect(byName["cat"]?.followingID == "")
            #expect(byName["cat"]?.nickname == "nick-cat")
            #expect(byName["cat"]?.picture.width == 512)

            let page = try await list("star", .followers, offset: 1, limit: 1)
            #expect(page.records.map(\.username) == ["ben"])
            #expect(page.total == 3)
            let past = try await list("star", .followers, offset: 5, limit: 1)
            #expect(past.records.isEmpty)
            #expect(past.total == 3)

            // ann follows star, then me: newest first; "me" appears with empty ids (nobody follows oneself).
            let annFollowing = try await list("ann", .following)
            #expect(annFollowing.records.map(\.username) == ["me", "star"])
            #expect(annFollowing.total == 2)
            #expect(annFollowing.records.first?.followerID == "")
            #expect(annFollowing.records.first?.followingID == "")

            let myFollowers = try await list("me", .followers)
            #expect(myFollowers.records.map(\.username) == ["ann"])
            #expect(myFollowers.records.first?.followerID == ids["ann→me"])

            // An unknown direction value lists followers.
            let unknownDirection = try await list("star", .UNRECOGNIZED(7))
            #expect(unknownDirection.records.map(\.username) == ["cat", "ben", "ann"])

            let nobody = try await list("cat", .followers)
            #expect(nobody.records.isEmpty)
            #expect(nobody.total == 0)

            await expectError(.userNotFound) { try await list("nobody", .followers) }
        }
    }

    @Test("a follow writes the followed user's follow notification into the outbox; a refused follow writes none")
    func followNotificationInOutbox() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice")
            try await harness.register("bob")
            _ = try await harness.asUser("alice") {
                try await harness.users.updateProfile(.with { $0.nickname = "Alice A." })
            }
            let subscription = try await follow(harness, "alice", "bob")
            await expectError(.subscriptionAlreadyExists, status: .alreadyExists) {
                _ = try await follow(harness, "alice", "bob")
            }
            let notices = try await harness.outboxMessages().filter { $0.topic == NotificationNotice.topic }
            #expect(notices.count == 1)
            let notice = try #require(notices.first)
            let request = try Alpha_Notification_V1_CreateNotificationRequest(serializedBytes: notice.payload)
            #expect(request.type == .follow)
            #expect(request.recipient == "bob")
            #expect(request.occurredAt == subscription.createdAt)
            let profile = try await harness.asUser("bob") {
                try await harness.users.getProfile(.with { $0.username = "alice" })
            }
            #expect(request.actor.username == "alice")
            #expect(request.actor.nickname == "Alice A." && profile.nickname == "Alice A.")
            #expect(request.actor.picture.url == profile.picture.url && !request.actor.picture.url.isEmpty)
        }
    }
}
