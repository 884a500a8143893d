import HTTPTypes

/// The largest request body each route accepts (DECISIONS: 64 KiB, except the routes that carry a
/// picture: 15 MiB), declared in one table that every route group shares.
///
/// A route that carries a picture is listed in ``pictureRoutes``; every other route gets ``standard``.
/// ``BodyLimitMiddleware`` enforces the table for every request, so a route handler never has to.
///
/// ```swift
/// let limits = BodyLimits(standard: 64 << 10, picture: 15 << 20)
/// limits.limit(for: .post, path: "/api/posts")   // 15 MiB
/// limits.limit(for: .post, path: "/api/users/login")   // 64 KiB
/// ```
public struct BodyLimits: Sendable, Hashable {
    /// A method and an exact path (no parameters: the picture routes have none).
    public struct Route: Sendable, Hashable {
        public var method: HTTPRequest.Method
        public var path: String

        public init(_ method: HTTPRequest.Method, _ path: String) {
            self.method = method
            self.path = path
        }
    }

    /// The routes whose body carries a picture: E02 register, E10 profile update, E16 create post.
    public static let pictureRoutes: Set<Route> = [
        Route(.post, "/api/users"),
        Route(.put, "/api/users"),
        Route(.post, "/api/posts"),
    ]

    /// The default for every route (`MAX_TEXT_BODY_BYTES`, 64 KiB).
    public static let defaultStandard = 64 * 1024
    /// The default for ``pictureRoutes`` (`MAX_BODY_BYTES`, 15 MiB).
    public static let defaultPicture = 15 * 1024 * 1024

    /// The limit of every route not in ``pictureRoutes``.
    public var standard: Int
    /// The limit of the routes in ``pictureRoutes``.
    public var picture: Int

    public init(standard: Int = BodyLimits.defaultStandard, picture: Int = BodyLimits.defaultPicture) {
        self.standard = standard
        self.picture = picture
    }

    /// The limit of the route `method` `path`.
    public func limit(for method: HTTPRequest.Method, path: String) -> Int {
        Self.pictureRoutes.contains(Route(method, path)) ? picture : standard
    }
}
