import AlphaAuth
import AlphaContracts
import GRPCCore

/// `alpha.user.v1.FollowGraph`: the follow graph for other services (the post service's personal feed,
/// CONTRACT §6.2). Service credential only: a user token alone is refused.
public struct FollowGraphHandler {
    private let repository: any SubscriptionRepository

    public init(repository: any SubscriptionRepository) {
        self.repository = repository
    }
}

extension FollowGraphHandler: Alpha_User_V1_FollowGraph.SimpleServiceProtocol {
    public func listFollowees(
        request: Alpha_User_V1_ListFolloweesRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_ListFolloweesResponse {
        try Caller.requireService()
        let usernames = try await repository.followees(of: request.username)
        return .with { $0.usernames = usernames }
    }
}
