import AlphaAuth
import AlphaContracts
import GRPCCore
import Testing
import UserService

@Suite("The user service's FollowGraph, which the personal feed relies on")
struct FollowGraphTests {
    @Test("ListFollowees answers everyone a user follows, to services only")
    func followees() async throws {
        try await PostServiceHarness.run { harness in
            try await harness.addUsers("alice", "bob", "carol", "dave")
            try await harness.follow("alice", "bob")
            try await harness.follow("alice", "carol")
            try await harness.follow("dave", "alice")
            let handler = FollowGraphHandler(
                repository: PostgresSubscriptionRepository(client: harness.userDatabase, logger: harness.logger))
            let request = Alpha_User_V1_ListFolloweesRequest.with { $0.username = "alice" }
            let context = ServerContext(
                descriptor: Alpha_User_V1_FollowGraph.Method.ListFollowees.descriptor,
                remotePeer: "in-process:test", localPeer: "in-process:test", cancellation: .init())
            let asService = try await Caller.$current.withValue(Caller(isService: true)) {
                try await handler.listFollowees(request: request, context: context)
            }
            #expect(Set(asService.usernames) == ["bob", "carol"])
            await #expect(throws: IdentityError.serviceRequired) {
                try await Caller.$current.withValue(Caller(username: "alice")) {
                    try await handler.listFollowees(request: request, context: context)
                }
            }
            let unknown = try await Caller.$current.withValue(Caller(isService: true)) {
                try await handler.listFollowees(request: .with { $0.username = "ghost" }, context: context)
            }
            #expect(unknown.usernames.isEmpty)
        }
    }
}
