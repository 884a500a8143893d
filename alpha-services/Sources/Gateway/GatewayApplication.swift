import AlphaCore
import AlphaDomain
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore

/// Builds the REST gateway; `main` and the tests both call it.
///
/// Middleware order: correlation id (outermost, so even errors carry it) → CORS → trailing-slash
/// redirect → RED metrics, tracing and request log → error envelope (turns every failure into the
/// contract's JSON) → body limits (per route, see ``BodyLimits``) → on the signed-in route groups, the
/// bearer token check (``BearerAuthenticator``).
public enum GatewayApplication {
    /// The router with every route under `/api`.
    public static func makeRouter(dependencies: GatewayDependencies) -> Router<GatewayRequestContext> {
        let router = Router(context: GatewayRequestContext.self)
        router.add(middleware: CorrelationIDMiddleware())
        router.add(
            middleware: CORSMiddleware(
                allowOrigin: .all,
                allowHeaders: [.accept, .authorization, .contentType, HTTPField.Name("Sec-WebSocket-Protocol")!],
                allowMethods: [.get, .patch, .post, .put, .delete, .options],
                allowCredentials: false,
                exposedHeaders: ["Content-Length", "Content-Type", "X-Correlation-ID", "Retry-After"],
                maxAge: .hours(12)
            )
        )
        router.add(middleware: TrailingSlashRedirectMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: TracingMiddleware())
        router.add(middleware: LogRequestsMiddleware(.info))
        router.add(middleware: ErrorEnvelopeMiddleware())
        router.add(
            middleware: BodyLimitMiddleware(
                limits: dependencies.configuration.bodyLimits,
                readTimeout: dependencies.configuration.readTimeout
            )
        )
        // Route groups per resource. The signed-in groups run hummingbird-auth's authenticator and then
        // `IsAuthenticatedMiddleware`: no or a bad token answers 401 ERR-014 before the handler runs. The
        // account flows, images and the meta routes take no token; the feed takes one if given.
        let bearer = BearerAuthenticator(verifier: dependencies.tokenVerifier)
        func signedIn(_ path: RouterPath) -> RouterGroup<GatewayRequestContext> {
            router.group(path).add(middleware: bearer).add(middleware: IsAuthenticatedMiddleware())
        }
        MetaRoutes(imprintText: dependencies.configuration.imprintText).register(on: router.group("api"))
        AccountRoutes(dependencies: dependencies).register(on: router.group("api/users"))
        let users = signedIn("api/users")
        UserRoutes(dependencies: dependencies).register(on: users)
        let feed = router.group("api/feed").add(middleware: bearer)
        FeedRoutes(dependencies: dependencies).register(feed: feed, users: users)
        SubscriptionRoutes(dependencies: dependencies).register(on: signedIn("api/subscriptions"))
        NotificationRoutes(dependencies: dependencies).register(on: signedIn("api/notifications"))
        PushRoutes(dependencies: dependencies).register(on: signedIn("api/push"))
        ImageRoutes(dependencies: dependencies).register(on: router.group("api/images"))
        let posts = signedIn("api/posts")
        PostRoutes(dependencies: dependencies).register(on: posts)
        LikeRoutes(dependencies: dependencies).register(on: posts)
        CommentRoutes(dependencies: dependencies).register(on: posts)
        return router
    }

    /// The application (a `Service`) listening on the configured host and port, closing connections idle
    /// for `HTTP_IDLE_TIMEOUT_SECONDS` and recording each connection's peer address (for the abuse limits).
    public static func make(dependencies: GatewayDependencies) -> some ApplicationProtocol {
        let configuration = dependencies.configuration
        return Application(
            router: makeRouter(dependencies: dependencies),
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [PeerAddressHandler()],
                    idleTimeout: .nanoseconds(configuration.idleTimeout.nanoseconds)
                )
            ),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "alpha"),
            logger: dependencies.logger
        )
    }
}
