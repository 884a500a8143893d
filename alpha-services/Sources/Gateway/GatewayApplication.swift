import AlphaCore
import AlphaDomain
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Builds the REST gateway; `main` and the tests both call it.
///
/// Middleware order: correlation id (outermost, so even errors carry it) → CORS → trailing-slash
/// redirect → RED metrics, tracing and request log → error envelope (turns every failure into the
/// contract's JSON) → body limits (innermost, per route, see ``BodyLimits``).
public enum GatewayApplication {
    /// The router with every route under `/api`.
    public static func makeRouter(dependencies: GatewayDependencies) -> Router<BasicRequestContext> {
        let router = Router()
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
        let api = router.group("api")
        MetaRoutes(imprintText: dependencies.configuration.imprintText).register(on: api)
        AccountRoutes(dependencies: dependencies).register(on: api)
        UserRoutes(dependencies: dependencies).register(on: api)
        SubscriptionRoutes(dependencies: dependencies).register(on: api)
        NotificationRoutes(dependencies: dependencies).register(on: api)
        PushRoutes(dependencies: dependencies).register(on: api)
        ImageRoutes(dependencies: dependencies).register(on: api)
        PostRoutes(dependencies: dependencies).register(on: api)
        FeedRoutes(dependencies: dependencies).register(on: api)
        LikeRoutes(dependencies: dependencies).register(on: api)
        CommentRoutes(dependencies: dependencies).register(on: api)
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
