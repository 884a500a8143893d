import AlphaContracts
import AlphaDomain
import Hummingbird

/// E23, E24: comment on a post and list its comments (Bearer token required).
struct CommentRoutes {
    let dependencies: GatewayDependencies

    private var interactions: Alpha_Post_V1_Interactions.Client<Upstreams.Transport> {
        dependencies.upstreams.interactions
    }

    /// Registers the routes on the signed-in `/api/posts` group.
    func register(on group: RouterGroup<GatewayRequestContext>) {
        group.post(":postId/comments", use: create)
        group.get(":postId/comments", use: list)
    }

    struct CreateBody: Decodable {
        var content: String
    }

    /// E23 `POST /api/posts/{postId}/comments`: the body is validated before the path id.
    func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let body = try await request.decodeJSON(CreateBody.self, limit: dependencies.configuration.maxBodyBytes)
        let content = InputNormalizer.escapedFreeText(body.content)
        try require(ValidationRules.isValidComment(content) && ValidationRules.isStorable(content))
        let id = try context.parameters.postID()
        let comment = try await upstream(token: caller.token, logger: context.logger) {
            try await interactions.createComment(
                .with {
                    $0.postID = id
                    $0.content = content
                })
        }
        return try jsonResponse(CommentBody(comment), status: .created)
    }

    /// E24 `GET /api/posts/{postId}/comments?offset=&limit=`: newest first.
    func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let id = try context.parameters.postID()
        let page = request.offsetPage
        let result = try await upstream(token: caller.token, logger: context.logger) {
            try await interactions.listComments(
                .with {
                    $0.postID = id
                    $0.ask(for: page)
                })
        }
        return try jsonResponse(
            PageBody(records: result.comments.map(CommentBody.init), page: page, total: result.total))
    }
}
