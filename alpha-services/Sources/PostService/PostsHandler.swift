import AlphaAuth
import AlphaContracts
import GRPCCore

/// `alpha.post.v1.Posts`. Posts are not stored yet, so every user has authored none.
public struct PostsHandler: Alpha_Post_V1_Posts.SimpleServiceProtocol {
    public init() {}

    public func countPosts(
        request: Alpha_Post_V1_CountPostsRequest,
        context: ServerContext
    ) async throws -> Alpha_Post_V1_CountPostsResponse {
        guard Caller.current?.username != nil || Caller.current?.isService == true else {
            throw IdentityError.userRequired
        }
        return .with { $0.count = 0 }
    }
}
