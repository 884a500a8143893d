import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaDomain
import GRPCCore

/// `alpha.post.v1.FollowReplica`: the user service's outbox relay hands every follow change to the post
/// service's copy of the follow graph (``FollowReplica``). Service credential only.
public struct FollowReplicaHandler: Alpha_Post_V1_FollowReplica.SimpleServiceProtocol {
    private let replica: any FollowReplica

    public init(replica: any FollowReplica) {
        self.replica = replica
    }

    public func applyFollowChange(
        request: Alpha_Post_V1_FollowChange,
        context: ServerContext
    ) async throws -> Alpha_Post_V1_ApplyFollowChangeResponse {
        try Caller.requireService()
        // INVALID_ARGUMENT tells the sender's relay that retrying cannot help.
        guard ValidationRules.isValidUsername(request.follower), ValidationRules.isValidUsername(request.followee)
        else {
            throw ServiceError(.invalidArgument, code: ErrorCode.badRequest.code, message: "not a username")
        }
        guard request.version > 0 else {
            throw ServiceError(.invalidArgument, code: ErrorCode.badRequest.code, message: "version must be > 0")
        }
        try await replica.apply(
            FollowChange(
                follower: request.follower, followee: request.followee, following: request.following,
                version: request.version))
        return .init()
    }
}
