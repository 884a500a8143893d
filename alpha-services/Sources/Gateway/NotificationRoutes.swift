import AlphaContracts
import AlphaDomain
import Hummingbird

/// E26–E27: the caller's notifications (Bearer token required).
struct NotificationRoutes {
    let dependencies: GatewayDependencies

    private var notifications: Alpha_Notification_V1_Notifications.Client<Upstreams.Transport> {
        dependencies.upstreams.notifications
    }

    /// Registers the routes on the signed-in `/api/notifications` group.
    func register(on group: RouterGroup<GatewayRequestContext>) {
        group.get(use: list)
        group.delete(":id", use: delete)
    }

    /// E26 `GET /api/notifications`: newest first (D16); actors resolved with one `ListUsers` call.
    func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let listed = try await upstream(token: caller.token, logger: context.logger) {
            try await notifications.listNotifications(Alpha_Notification_V1_ListNotificationsRequest())
        }.notifications
        var users: [String: Alpha_User_V1_UserSummary] = [:]
        let actors = Array(Set(listed.map(\.actor))).sorted()
        if !actors.isEmpty {
            let resolved = try await upstream(token: caller.token, logger: context.logger) {
                try await dependencies.upstreams.users.listUsers(.with { $0.usernames = actors })
            }
            for user in resolved.users { users[user.username] = user }
        }
        return try jsonResponse(
            NotificationListBody(records: listed.map { NotificationBody($0, actor: users[$0.actor]) }))
    }

    /// E27 `DELETE /api/notifications/{notificationId}`: a malformed id is an unknown one (404 ERR-023,
    /// D11); someone else's answers 403 ERR-024 (D10).
    func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireIdentity()
        let rawID = try context.parameters.require("id")
        guard let id = ValidationRules.pathUUID(rawID) else { throw APIError(.notificationNotFound) }
        _ = try await upstream(token: caller.token, logger: context.logger) {
            try await notifications.deleteNotification(.with { $0.notificationID = id.uuidString.lowercased() })
        }
        return Response(status: .noContent)
    }
}

/// `{"records": [Notification]}`.
struct NotificationListBody: Encodable {
    var records: [NotificationBody]
}

/// The Notification object: `user` is the actor; its `picture` is `null` only when the actor could not be
/// resolved (then `username` and `nickname` are `""` too, §1.6).
struct NotificationBody: Encodable {
    var notificationId: String
    var timestamp: String
    var notificationType: String
    var user: AuthorBody

    init(_ notification: Alpha_Notification_V1_Notification, actor: Alpha_User_V1_UserSummary?) {
        notificationId = notification.notificationID
        timestamp = notification.timestamp
        notificationType =
            switch notification.type {
            case .repost: "repost"
            case .message: "message"
            default: "follow"
            }
        user = AuthorBody(actor)
    }
}
