import AlphaContracts
import AlphaOutbox
import Testing
import UserService

@Suite("Follow changes for the post service's copy of the follow graph, through the outbox")
struct FollowChangeOutboxTests {
    @Test("follow, unfollow and follow again each write one change with a higher version; refused ones none")
    func changesInOrder() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice")
            try await harness.register("bob")
            func follow() async throws -> String {
                try await harness.asUser("alice") {
                    try await harness.subscriptions.createSubscription(.with { $0.following = "bob" }).subscriptionID
                }
            }
            func unfollow(_ id: String) async throws {
                try await harness.asUser("alice") {
                    _ = try await harness.subscriptions.deleteSubscription(.with { $0.subscriptionID = id })
                }
            }
            let first = try await follow()
            _ = try? await follow()  // already following: refused, nothing written
            try await unfollow(first)
            try? await unfollow(first)  // gone: refused, nothing written
            _ = try await follow()
            let changes = try await harness.outboxMessages()
                .filter { $0.topic == FollowChanges.topic }
                .map { try Alpha_Post_V1_FollowChange(serializedBytes: $0.payload) }
            #expect(changes.map(\.following) == [true, false, true])
            #expect(changes.allSatisfy { $0.follower == "alice" && $0.followee == "bob" })
            #expect(changes.map(\.version) == changes.map(\.version).sorted() && Set(changes.map(\.version)).count == 3)
            #expect(changes.allSatisfy { $0.version > 0 })
        }
    }
}
