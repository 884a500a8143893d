import AlphaCore
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// The admin HTTP server every process runs: `/metrics`, `/health/live`, `/health/ready`.
///
/// - `/health/live` answers 200 while the process is up.
/// - `/health/ready` answers 200 when ``Readiness`` passes, else 503 with the failing checks.
/// - `/metrics` renders the Prometheus registry in the text exposition format.
///
/// Configuration keys: `ADMIN_HOST` (default `0.0.0.0`), `ADMIN_PORT` (per process).
public struct AdminServer: Service {
    private let application: Application<RouterResponder<BasicRequestContext>>

    /// Builds the server; it listens once run in a ServiceGroup.
    public init(
        host: String,
        port: Int,
        registry: PrometheusCollectorRegistry,
        readiness: Readiness,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        let router = Self.makeRouter(registry: registry, readiness: readiness)
        self.application = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "alpha-admin"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    /// The admin routes, exposed for in-process tests.
    public static func makeRouter(
        registry: PrometheusCollectorRegistry,
        readiness: Readiness
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/health/live") { _, _ in
            Self.json(status: .ok, #"{"status":"live"}"#)
        }
        router.get("/health/ready") { _, _ in
            let failing = await readiness.failingChecks()
            if failing.isEmpty {
                return Self.json(status: .ok, #"{"status":"ready"}"#)
            }
            let list = failing.map { "\"\($0)\"" }.joined(separator: ",")
            return Self.json(status: .serviceUnavailable, #"{"status":"not_ready","failing":[\#(list)]}"#)
        }
        router.get("/metrics") { _, _ in
            var buffer = [UInt8]()
            registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer))
            )
        }
        return router
    }

    /// Serves the admin routes until graceful shutdown.
    public func run() async throws {
        try await application.run()
    }

    private static func json(status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: body))
        )
    }
}
