import AlphaAuth
import AlphaContracts
import GRPCCore
import PostService
import PostgresNIO
import Testing

@Suite("The post service's copy of the follow graph (personal feed without asking for followees)")
struct FollowReplicaTests {
    @Test("a follow and an unfollow after the first read reach the personal feed through the outbox")
    func followsAfterTheCopy() async throws {
        try await PostServiceHarness.run { harness in
            try await harness.addUsers("alice", "bob", "carol")
            let byBob = try await harness.post("bob", "bob writes")
            harness.clock.advance(by: 1)
            let byCarol = try await harness.post("carol", "carol writes")
            let toBob = try await harness.follow("alice", "bob")
            // The first read copies alice's followees (bob) from the user service.
            #expect(try await harness.feed("alice", kind: .personal).posts.map(\.postID) == [byBob.postID])
            let calls = harness.directory.calls.followees
            // Later changes arrive only through the outbox; harness.follow/unfollow wait for the copy.
            try await harness.follow("alice", "carol")
            #expect(
                try await harness.feed("alice", kind: .personal).posts.map(\.postID) == [byCarol.postID, byBob.postID])
            try await harness.unfollow("alice", "bob", subscriptionID: toBob)
            #expect(try await harness.feed("alice", kind: .personal).posts.map(\.postID) == [byCarol.postID])
            #expect(harness.directory.calls.followees == calls)
        }
    }

    @Test("changes carry increasing versions; the copy keeps the latest whatever the delivery order")
    func lastVersionWins() async throws {
        try await PostServiceHarness.run { harness in
            try await harness.addUsers("alice", "bob")
            let first = try await harness.follow("alice", "bob")
            let followed = try #require(try await harness.copiedFollow("alice", "bob"))
            try await harness.unfollow("alice", "bob", subscriptionID: first)
            let unfollowed = try #require(try await harness.copiedFollow("alice", "bob"))
            #expect(followed.version > 0 && unfollowed.version > followed.version)

            let replica = PostgresFollowReplica(client: harness.postDatabase, logger: harness.logger)
            // The follow delivered again, late: changes nothing.
            let late = FollowChange(follower: "alice", followee: "bob", following: true, version: followed.version)
            #expect(try await replica.apply(late) == false)
            #expect(try await harness.copiedFollow("alice", "bob")?.following == false)
            // A copy from ListFollowees (version 0) never overrides a change from the outbox.
            try await replica.copy(followees: ["bob"], of: "alice")
            #expect(try await harness.copiedFollow("alice", "bob")?.following == false)
            #expect(try await replica.followees(of: "alice") == [])
            // Reordered: the newer change first, then the older one.
            #expect(try await replica.apply(.init(follower: "carol", followee: "dave", following: false, version: 9)))
            #expect(
                try await replica.apply(.init(follower: "carol", followee: "dave", following: true, version: 8))
                    == false)
            #expect(
                try await replica.apply(.init(follower: "carol", followee: "dave", following: false, version: 9))
                    == false)
            #expect(try await replica.followees(of: "carol") == nil)  // never copied: the feed asks the user service
        }
    }

    @Test("ApplyFollowChange takes only services and refuses what it cannot apply")
    func applyFollowChangeRules() async throws {
        try await PostServiceHarness.run { harness in
            let valid = Alpha_Post_V1_FollowChange.with {
                $0.follower = "alice"
                $0.followee = "bob"
                $0.following = true
                $0.version = 3
            }
            // A user token alone (no service credential) is refused.
            let handler = FollowReplicaHandler(
                replica: PostgresFollowReplica(client: harness.postDatabase, logger: harness.logger))
            let context = ServerContext(
                descriptor: Alpha_Post_V1_FollowReplica.Method.ApplyFollowChange.descriptor,
                remotePeer: "in-process:test", localPeer: "in-process:test", cancellation: .init())
            await #expect(throws: IdentityError.serviceRequired) {
                try await Caller.$current.withValue(Caller(username: "alice")) {
                    try await handler.applyFollowChange(request: valid, context: context)
                }
            }
            for invalid in [
                Alpha_Post_V1_FollowChange.with {
                    $0 = valid
                    $0.follower = "not a name"
                },
                Alpha_Post_V1_FollowChange.with {
                    $0 = valid
                    $0.followee = ""
                },
                Alpha_Post_V1_FollowChange.with {
                    $0 = valid
                    $0.version = 0
                },
            ] {
                let refused = await outcome { try await harness.followReplica.applyFollowChange(invalid) }
                #expect(refused == "ERR-001", "\(invalid)")
            }
            #expect(try await harness.copiedFollow("alice", "bob") == nil)
            _ = try await harness.followReplica.applyFollowChange(valid)
            #expect(try await harness.copiedFollow("alice", "bob")?.version == 3)
        }
    }
}
