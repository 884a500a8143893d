import AlphaAuth
import AlphaCore
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle

/// A gRPC server (HTTP/2; TLS when configured, see ``GRPCTLS``) as a swift-service-lifecycle `Service`.
///
/// It serves the given services plus ``HealthService`` (answering for every service it serves, by the names
/// the services register), behind the kit's interceptor chain (``ServerInterceptorChain``, consulting the
/// process's ``Dependencies``). On graceful shutdown it stops accepting new RPCs and lets in-flight ones
/// finish (bounded by the process's grace period).
///
/// Configuration keys: `GRPC_HOST` (default `0.0.0.0`), `GRPC_PORT` (default `defaultPort`),
/// `GRPC_MAX_MESSAGE_BYTES` (default 16 MiB), and for identity `JWT_PUBLIC_KEY` (Ed25519 SPKI PEM,
/// required), `TOKEN_ISSUER` and `TOKEN_AUDIENCE` (required, see ``TokenPolicy/init(settings:)``) and
/// `SERVICE_CREDENTIAL` (required, ≥ 16 characters), and for transport security the `GRPC_TLS_*` keys of
/// ``GRPCTLS`` (plaintext when `GRPC_TLS_ENABLED` is unset).
public final class GRPCServerService: Service, Sendable {
    /// The underlying server.
    public let server: GRPCServer<HTTP2ServerTransport.Posix>
    /// The health service registered on this server.
    public let health: HealthService
    private let logger: Logger
    private let address: String
    private let transportSecurity: String

    /// Builds a server from explicit parts; `tls` `nil` serves plaintext.
    public init(
        host: String,
        port: Int,
        services: [any RegistrableRPCService],
        identity: IdentityInterceptor,
        readiness: Readiness,
        logger: Logger,
        maxMessageBytes: Int = 16 * 1024 * 1024,
        dependencies: Dependencies = Dependencies(),
        tls: GRPCTLS? = nil
    ) {
        let health = HealthService(serving: services, readiness: readiness)
        let transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: host, port: port),
            transportSecurity: tls?.serverSecurity ?? .plaintext,
            config: .defaults { $0.rpc.maxRequestPayloadSize = maxMessageBytes }
        )
        self.server = GRPCServer(
            transport: transport,
            services: services + [health],
            interceptors: ServerInterceptorChain.interceptors(
                identity: identity, dependencies: dependencies, logger: logger)
        )
        self.health = health
        self.logger = logger
        self.address = "\(host):\(port)"
        self.transportSecurity = tls.map { $0.requireClientCertificate ? "mutual TLS" : "TLS" } ?? "plaintext"
    }

    /// Builds a server from configuration (see the type's configuration keys).
    public convenience init(
        settings: Settings,
        defaultPort: Int,
        services: [any RegistrableRPCService],
        readiness: Readiness,
        logger: Logger,
        dependencies: Dependencies = Dependencies()
    ) throws {
        let identity = try IdentityInterceptor(
            verifier: TokenVerifier.fromSettings(settings),
            credential: ServiceCredential.fromSettings(settings)
        )
        self.init(
            host: settings.string("grpc.host", default: "0.0.0.0"),
            port: try settings.port("grpc.port", default: defaultPort),
            services: services,
            identity: identity,
            readiness: readiness,
            logger: logger,
            maxMessageBytes: try settings.int(
                "grpc.max.message.bytes", default: 16 * 1024 * 1024, range: 1024...(64 << 20)),
            dependencies: dependencies,
            tls: try GRPCTLS.fromSettings(settings)
        )
    }

    /// The bound port once listening (useful with port 0 in tests).
    public func listeningPort() async throws -> Int {
        guard let address = try await server.listeningAddress?.ipv4 else {
            throw RPCError(code: .unavailable, message: "server is not listening on IPv4")
        }
        return address.port
    }

    /// Serves until graceful shutdown: health turns NOT_SERVING, new RPCs are refused, in-flight ones finish.
    public func run() async throws {
        logger.info(
            "gRPC server starting", metadata: ["address": "\(address)", "transport": "\(transportSecurity)"])
        try await withGracefulShutdownHandler {
            try await server.serve()
        } onGracefulShutdown: {
            self.health.setServing(false)
            self.server.beginGracefulShutdown()
        }
    }
}

extension TokenVerifier {
    /// A verifier for the PEM in `JWT_PUBLIC_KEY` (required) under the installation's ``TokenPolicy``
    /// (``TokenPolicy/init(settings:)``: `TOKEN_ISSUER`, `TOKEN_AUDIENCE`, both required).
    public static func fromSettings(_ settings: Settings) throws(ConfigurationError) -> TokenVerifier {
        let pem = try settings.requiredString("jwt.public.key")
        let key: Ed25519PublicKey
        do {
            key = try Ed25519PEM.publicKey(pem: pem)
        } catch {
            throw .invalid(variable: "JWT_PUBLIC_KEY", reason: "not an Ed25519 public key in SPKI PEM form")
        }
        return TokenVerifier(publicKey: key, policy: try TokenPolicy(settings: settings))
    }
}

extension ServiceCredential {
    /// The credential in `SERVICE_CREDENTIAL` (required, at least 16 characters).
    public static func fromSettings(_ settings: Settings) throws(ConfigurationError) -> ServiceCredential {
        let secret = try settings.requiredString("service.credential", isSecret: true)
        do {
            return try ServiceCredential(secret: secret)
        } catch {
            throw .invalid(variable: "SERVICE_CREDENTIAL", reason: "must be at least 16 characters")
        }
    }
}

extension ProcessAssembly {
    /// Adds a gRPC server for `services` (plus health) configured from this process's settings; it consults
    /// the process's ``ProcessAssembly/dependencies`` (whether added before or after it).
    public mutating func addGRPCServer(
        defaultPort: Int,
        services: [any RegistrableRPCService]
    ) throws {
        add(
            try GRPCServerService(
                settings: settings,
                defaultPort: defaultPort,
                services: services,
                readiness: readiness,
                logger: logger,
                dependencies: dependencies
            )
        )
    }

    /// Adds a client to the peer at `urlKey` (for example `user.service.url` → `USER_SERVICE_URL`, one
    /// or more addresses or a `dns:///` name, see ``ClientTarget``) and returns it, ready to wrap in a
    /// generated stub. `idempotentMethods` are reads retried once on another endpoint after `unavailable`.
    public mutating func addGRPCClient(
        urlKey: String,
        defaultTarget: String,
        idempotentMethods: Set<MethodDescriptor> = []
    ) throws -> GRPCClient<BalancingClientTransport> {
        let service = try GRPCClientService(
            settings: settings,
            urlKey: urlKey,
            defaultTarget: defaultTarget,
            idempotentMethods: idempotentMethods,
            logger: logger
        )
        add(service)
        return service.client
    }
}
