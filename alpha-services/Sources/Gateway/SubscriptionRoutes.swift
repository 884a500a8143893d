import AlphaContracts
import AlphaDomain
import Hummingbird

/// E13–E15: follow, unfollow, followers/followings (Bearer token required).
struct SubscriptionRoutes {
    let dependencies: GatewayDependencies

    private var subscriptions: Alpha_User_V1_Subscriptions.Client<Upstreams.Transport> {
        dependencies.upstreams.subscriptions
    }

    /// Registers the routes on the signed-in `/api/subscriptions` group.
    func register(on group: RouterGroup<GatewayRequestContext>) {
        // One parameter name for both routes: the router requires it at the same position. It is a
        // subscription id for DELETE and a username for GET.
        group.post(use: follow)
        group.delete(":id", use: unfollow)
        group.get(":id", use: list)
    }

    struct FollowBody: Decodable {
        var following: String
    }

    struct SubscriptionBody: Encodable {
        var subscriptionId: String
        var subscriptionDate: String
        var follower: String
        var following: String
    }

    /// E13 `POST /api/subscriptions`.
    func follow(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let body = try await request.decodeJSON(FollowBody.self, limit: dependencies.configuration.maxBodyBytes)
        let following = InputNormalizer.trimmed(body.following)
        try require(ValidationRules.isValidUsername(following))
        let created = try await upstream(token: caller.token, logger: context.logger) {
            try await subscriptions.createSubscription(.with { $0.following = following })
        }
        return try jsonResponse(
            SubscriptionBody(
                subscriptionId: created.subscriptionID,
                subscriptionDate: created.createdAt,
                follower: created.follower,
                following: created.following
            ),
            status: .created
        )
    }

    /// E14 `DELETE /api/subscriptions/{subscriptionId}`: a malformed id is an unknown one (404 ERR-015, D11).
    func unfollow(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let rawID = try context.parameters.require("id")
        guard let id = ValidationRules.pathUUID(rawID) else { throw APIError(.subscriptionNotFound) }
        _ = try await upstream(token: caller.token, logger: context.logger) {
            try await subscriptions.deleteSubscription(.with { $0.subscriptionID = id.uuidString.lowercased() })
        }
        return Response(status: .noContent)
    }

    /// E15 `GET /api/subscriptions/{username}?type=following|followers&offset=&limit=`.
    func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let username = try context.parameters.require("id")
        guard ValidationRules.isValidUsername(username) else { throw APIError(.userNotFound) }
        let query = request.uri.queryParameters
        let page = request.offsetPage
        let direction: Alpha_User_V1_SubscriptionDirection = query["type"] == "following" ? .following : .followers
        let result = try await upstream(token: caller.token, logger: context.logger) {
            try await subscriptions.listSubscriptions(
                .with {
                    $0.username = username
                    $0.direction = direction
                    $0.ask(for: page)
                })
        }
        return try jsonResponse(
            PageBody(records: result.records.map(SubscriptionRecordBody.init), page: page, total: result.total))
    }
}
