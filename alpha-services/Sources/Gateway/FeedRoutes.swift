import AlphaContracts
import AlphaDomain
import Hummingbird

/// E18 (global or personal feed, token optional) and E20 (one user's posts).
struct FeedRoutes {
    let dependencies: GatewayDependencies

    private var posts: Alpha_Post_V1_Posts.Client<Upstreams.Transport> { dependencies.upstreams.posts }

    /// Registers E18 on the `/api/feed` group (token optional) and E20 on the signed-in `/api/users` group.
    func register(feed: RouterGroup<GatewayRequestContext>, users: RouterGroup<GatewayRequestContext>) {
        feed.get(use: self.feed)
        users.get(":username/feed", use: userFeed)
    }

    /// E18 `GET /api/feed?feedType=&postId=&limit=`: no `Authorization` header → the anonymous global
    /// feed; a valid token → the personal feed unless `feedType=global`; a header that is not a valid
    /// `Bearer` access token → 401 ERR-014 (D01).
    func feed(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = context.identity
        let query = request.uri.queryParameters
        let kind: Alpha_Post_V1_FeedKind = caller != nil && query["feedType"] != "global" ? .personal : .global
        let feed = try await upstream(token: caller?.token, logger: context.logger) {
            try await posts.listFeed(
                .with {
                    $0.kind = kind
                    $0.ask(forPageOf: request)
                })
        }
        return try jsonResponse(FeedBody(feed))
    }

    /// E20 `GET /api/users/{username}/feed?offset=&limit=`: `pagination.offset` is the next offset (D17).
    func userFeed(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let username = try context.parameters.username()
        let page = request.offsetPage
        let result = try await upstream(token: caller.token, logger: context.logger) {
            try await posts.listUserPosts(
                .with {
                    $0.username = username
                    $0.ask(for: page)
                })
        }
        return try jsonResponse(
            PageBody(
                records: result.posts.map(PostBody.init),
                pagination: PaginationInfo(
                    offset: page.offset + page.limit, limit: page.limit, records: Int(result.total))
            )
        )
    }
}
