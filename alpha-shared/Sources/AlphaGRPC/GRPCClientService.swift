import AlphaAuth
import AlphaCore
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle

/// A gRPC client to one peer service, as a `Service` that keeps its connections running.
///
/// The peer is a ``ClientTarget``: one address, several (`host1:port1,host2:port2`) or a DNS name
/// (`dns:///user-service:50051`); with more than one endpoint, calls are balanced round-robin over
/// the healthy ones (see ``BalancingClientTransport``).
///
/// Every call carries the service credential (and the forwarded user token, see ``ForwardedUserToken``),
/// continues the current trace, and has a deadline (`timeout`, applied to every method unless the call
/// sets its own). Calls wait for a connection up to that deadline, so a peer that is down surfaces as
/// `deadlineExceeded` after `timeout`, never as a hang. With ``GRPCTLS`` it dials TLS, verifying the peer
/// against the CA (and presenting this process's certificate for mutual TLS).
///
/// ```swift
/// let users = try GRPCClientService(settings: settings, urlKey: "user.service.url", defaultTarget: "127.0.0.1:50051")
/// process.add(users)
/// let client = Alpha_User_V1_Users.Client(wrapping: users.client)
/// ```
public final class GRPCClientService: Service, Sendable {
    /// The client to wrap in generated stubs.
    public let client: GRPCClient<BalancingClientTransport>
    /// The transport under ``client``: which endpoints it balances over and which are serving.
    public let transport: BalancingClientTransport

    /// Connects to `host:port`.
    public convenience init(
        host: String,
        port: Int,
        credential: ServiceCredential,
        timeout: Duration,
        maxMessageBytes: Int = 16 * 1024 * 1024,
        tls: GRPCTLS? = nil
    ) throws {
        try self.init(
            target: .addresses([EndpointAddress(host: host, port: port)]),
            credential: credential,
            timeout: timeout,
            maxMessageBytes: maxMessageBytes,
            tls: tls
        )
    }

    /// Connects to every endpoint of `target`.
    ///
    /// - Parameters:
    ///   - idempotentMethods: reads retried once on another endpoint when they fail with `unavailable`
    ///     (only with more than one endpoint). List only methods that change nothing.
    ///   - dnsRefreshInterval: how often a `dns:///` target is resolved again.
    ///   - tls: dial TLS (`nil`: plaintext).
    public init(
        target: ClientTarget,
        credential: ServiceCredential,
        timeout: Duration,
        maxMessageBytes: Int = 16 * 1024 * 1024,
        idempotentMethods: Set<MethodDescriptor> = [],
        dnsRefreshInterval: Duration = .seconds(5),
        logger: Logger = Logger(label: "alpha.grpc.client"),
        tls: GRPCTLS? = nil
    ) throws {
        var methodConfig = MethodConfig(names: [MethodConfig.Name(service: "", method: "")])
        methodConfig.timeout = timeout
        // Wait for a connection (bounded by the deadline) instead of failing at once while the channel
        // is reconnecting: peers start in any order and restart during rolling updates.
        methodConfig.waitForReady = true
        methodConfig.maxRequestMessageBytes = maxMessageBytes
        methodConfig.maxResponseMessageBytes = maxMessageBytes
        let transport = try BalancingClientTransport(
            target: target,
            methodConfig: methodConfig,
            idempotentMethods: idempotentMethods,
            // Reconnect quickly after a peer restarts (the default backoff grows to two minutes).
            backoff: .init(initial: .milliseconds(100), max: .seconds(3), multiplier: 1.6, jitter: 0.2),
            dnsRefreshInterval: dnsRefreshInterval,
            tls: tls,
            logger: logger
        )
        self.transport = transport
        self.client = GRPCClient(
            transport: transport,
            interceptors: [TracingClientInterceptor(), CredentialInterceptor(credential: credential)]
        )
    }

    /// Connects to the ``ClientTarget`` in `urlKey` (for example `USER_SERVICE_URL`), with the deadline
    /// in `RPC_TIMEOUT_SECONDS` (default 3), the credential in `SERVICE_CREDENTIAL`, a `dns:///`
    /// target re-resolved every `RPC_DNS_REFRESH_SECONDS` (default 5), and the largest message sent or
    /// received in `GRPC_MAX_MESSAGE_BYTES` (default 16 MiB, the same key and default as
    /// ``GRPCServerService``: a 7 MiB image plus its envelope must fit both ways), over TLS when the
    /// `GRPC_TLS_*` keys of ``GRPCTLS`` say so.
    public convenience init(
        settings: Settings,
        urlKey: String,
        defaultTarget: String,
        idempotentMethods: Set<MethodDescriptor> = [],
        logger: Logger = Logger(label: "alpha.grpc.client")
    ) throws {
        try self.init(
            target: try settings.clientTarget(urlKey, default: defaultTarget),
            credential: try ServiceCredential.fromSettings(settings),
            timeout: try settings.seconds("rpc.timeout.seconds", default: .seconds(3)),
            maxMessageBytes: try settings.int(
                "grpc.max.message.bytes", default: 16 * 1024 * 1024, range: 1024...(64 << 20)),
            idempotentMethods: idempotentMethods,
            dnsRefreshInterval: try settings.seconds("rpc.dns.refresh.seconds", default: .seconds(5)),
            logger: logger,
            tls: try GRPCTLS.fromSettings(settings)
        )
    }

    /// Keeps the client connected until graceful shutdown, then lets open calls finish.
    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await client.runConnections()
        } onGracefulShutdown: {
            self.client.beginGracefulShutdown()
        }
    }
}
