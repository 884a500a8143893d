import AlphaContracts
import Hummingbird

/// E21, E22: like and unlike a post (Bearer token required; no body).
struct LikeRoutes {
    let dependencies: GatewayDependencies

    private var interactions: Alpha_Post_V1_Interactions.Client<Upstreams.Transport> {
        dependencies.upstreams.interactions
    }

    /// Registers the routes on the signed-in `/api/posts` group.
    func register(on group: RouterGroup<GatewayRequestContext>) {
        group.post(":postId/likes", use: like)
        group.delete(":postId/likes", use: unlike)
    }

    /// E21 `POST /api/posts/{postId}/likes`: 409 ERR-021 when already liked.
    func like(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let id = try context.parameters.postID()
        _ = try await upstream(token: caller.token, logger: context.logger) {
            try await interactions.likePost(.with { $0.postID = id })
        }
        return Response(status: .noContent)
    }

    /// E22 `DELETE /api/posts/{postId}/likes`: 409 ERR-022 when the caller has no like on it (D21).
    func unlike(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let id = try context.parameters.postID()
        _ = try await upstream(token: caller.token, logger: context.logger) {
            try await interactions.unlikePost(.with { $0.postID = id })
        }
        return Response(status: .noContent)
    }
}
