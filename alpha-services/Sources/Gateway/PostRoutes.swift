import AlphaContracts
import AlphaDomain
import Hummingbird

/// E16, E17, E19: create, delete and search posts (Bearer token required).
struct PostRoutes {
    let dependencies: GatewayDependencies

    private var posts: Alpha_Post_V1_Posts.Client<Upstreams.Transport> { dependencies.upstreams.posts }

    /// Registers the routes on the signed-in `/api/posts` group.
    func register(on group: RouterGroup<GatewayRequestContext>) {
        group.post(use: create)
        group.delete(":postId", use: delete)
        group.get(use: search)
    }

    struct CreateBody: Decodable {
        var content: String?
        /// Base64 image; not normalised (§1.3). `null`/absent = none; `""` counts as none too (D25).
        var picture: String?
        var repostedPostId: String?
        var location: LocationInput?
    }

    /// D22: `latitude` and `longitude` required (zero allowed), `accuracy` optional.
    struct LocationInput: Decodable {
        var latitude: Double
        var longitude: Double
        var accuracy: Int?
    }

    /// E16 `POST /api/posts`.
    func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let body = try await request.decodeJSON(CreateBody.self, limit: dependencies.configuration.maxBodyBytes)
        let content = InputNormalizer.escapedFreeText(body.content ?? "")
        try require(ValidationRules.isValidPostContentLength(content) && ValidationRules.isStorable(content))
        let repostedPostId = InputNormalizer.trimmed(body.repostedPostId ?? "")
        try require(repostedPostId.isEmpty || ValidationRules.isValidUUID4(repostedPostId))
        let picture = body.picture ?? ""
        // D25: content, a picture or a reposted post; "" picture / repostedPostId count as absent.
        try require(!content.isEmpty || !picture.isEmpty || !repostedPostId.isEmpty)
        var location: GeoLocation?
        if let input = body.location {
            location = GeoLocation(latitude: input.latitude, longitude: input.longitude, accuracy: input.accuracy)
            try require(location != nil)
        }
        let created = try await upstream(token: caller.token, logger: context.logger) {
            try await posts.createPost(
                .with {
                    $0.content = content
                    $0.picture = picture
                    $0.repostedPostID = repostedPostId
                    if let location {
                        $0.location = .with {
                            $0.latitude = location.latitude
                            $0.longitude = location.longitude
                            $0.accuracy = location.accuracy
                        }
                    }
                })
        }
        return try jsonResponse(PostBody(created), status: .created)
    }

    /// E17 `DELETE /api/posts/{postId}`: the author only (403 ERR-019).
    func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let id = try context.parameters.postID()
        _ = try await upstream(token: caller.token, logger: context.logger) {
            try await posts.deletePost(.with { $0.postID = id })
        }
        return Response(status: .noContent)
    }

    /// E19 `GET /api/posts?q=&postId=&limit=`: posts carrying the hashtag `q` (empty `q`: every post).
    func search(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let query = request.uri.queryParameters
        let hashtag = query["q"].map(String.init) ?? ""
        let feed = try await upstream(token: caller.token, logger: context.logger) {
            try await posts.listFeed(
                .with {
                    $0.kind = .global
                    $0.hashtag = hashtag
                    $0.ask(forPageOf: request)
                })
        }
        return try jsonResponse(FeedBody(feed))
    }
}
