import AlphaAuth
import AlphaCore
import GRPCCore
import GRPCNIOTransportHTTP2
import ServiceLifecycle

/// A gRPC client to one peer, as a `Service` that keeps its connections running.
///
/// Every call carries the service credential (and the forwarded user token, see ``ForwardedUserToken``),
/// continues the current trace, and has a deadline (`timeout`, applied to every method unless the call
/// sets its own). Calls wait for a connection up to that deadline, so a peer that is down surfaces as
/// `deadlineExceeded` after `timeout`, never as a hang.
///
/// ```swift
/// let users = try GRPCClientService(settings: settings, urlKey: "user.service.url", defaultTarget: "127.0.0.1:50051")
/// process.add(users)
/// let client = Alpha_User_V1_Users.Client(wrapping: users.client)
/// ```
public final class GRPCClientService: Service, Sendable {
    /// The client to wrap in generated stubs.
    public let client: GRPCClient<HTTP2ClientTransport.Posix>

    /// Connects to `host:port`.
    public init(
        host: String,
        port: Int,
        credential: ServiceCredential,
        timeout: Duration,
        maxMessageBytes: Int = 16 * 1024 * 1024
    ) throws {
        var methodConfig = MethodConfig(names: [MethodConfig.Name(service: "", method: "")])
        methodConfig.timeout = timeout
        // Wait for a connection (bounded by the deadline) instead of failing at once while the channel
        // is reconnecting: peers start in any order and restart during rolling updates.
        methodConfig.waitForReady = true
        methodConfig.maxRequestMessageBytes = maxMessageBytes
        methodConfig.maxResponseMessageBytes = maxMessageBytes
        let transport = try HTTP2ClientTransport.Posix(
            target: .dns(host: host, port: port),
            transportSecurity: .plaintext,
            config: .defaults {
                // Reconnect quickly after a peer restarts (the default backoff grows to two minutes).
                $0.backoff = .init(initial: .milliseconds(100), max: .seconds(3), multiplier: 1.6, jitter: 0.2)
            },
            serviceConfig: ServiceConfig(methodConfig: [methodConfig])
        )
        self.client = GRPCClient(
            transport: transport,
            interceptors: [TracingClientInterceptor(), CredentialInterceptor(credential: credential)]
        )
    }

    /// Connects to the `host:port` in `urlKey` (for example `USER_SERVICE_URL`), with the deadline in
    /// `RPC_TIMEOUT_SECONDS` (default 3), the credential in `SERVICE_CREDENTIAL`, and the largest message
    /// sent or received in `GRPC_MAX_MESSAGE_BYTES` (default 16 MiB, the same key and default as
    /// ``GRPCServerService``: a 7 MiB image plus its envelope must fit both ways).
    public convenience init(settings: Settings, urlKey: String, defaultTarget: String) throws {
        let target = settings.string(urlKey, default: defaultTarget)
        let variable = Settings.variableName(for: urlKey)
        let parts = target.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]), (1...65535).contains(port) else {
            throw ConfigurationError.malformed(variable: variable, value: target, expected: "host:port")
        }
        try self.init(
            host: String(parts[0]),
            port: port,
            credential: try ServiceCredential.fromSettings(settings),
            timeout: try settings.seconds("rpc.timeout.seconds", default: .seconds(3)),
            maxMessageBytes: try settings.int(
                "grpc.max.message.bytes", default: 16 * 1024 * 1024, range: 1024...(64 << 20))
        )
    }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await client.runConnections()
        } onGracefulShutdown: {
            self.client.beginGracefulShutdown()
        }
    }
}
