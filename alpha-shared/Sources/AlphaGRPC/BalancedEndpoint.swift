import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import Synchronization

/// One endpoint of a ``BalancingClientTransport``: its own HTTP/2 connection, what its health
/// watch last said, and whether a recent call there failed with `unavailable`.
final class BalancedEndpoint: Sendable {
    enum Health: Sendable, Equatable {
        /// No answer from the health watch yet.
        case unknown
        /// The peer reports SERVING.
        case serving
        /// The peer reports NOT_SERVING (draining), or its connection or watch is gone.
        case notServing
    }

    private struct State {
        var health = Health.unknown
        var suspectUntil: ContinuousClock.Instant?
    }

    /// How long an endpoint where a call just failed with `unavailable` is passed over while
    /// another healthy endpoint exists (so a retry lands elsewhere).
    static let suspicionPeriod = Duration.seconds(1)

    let address: EndpointAddress
    /// The endpoint's transport; calls open their streams on it directly.
    let transport: HTTP2ClientTransport.Posix
    /// A plain client over the same transport: runs its connections and carries the health watch.
    let client: GRPCClient<HTTP2ClientTransport.Posix>
    private let state = Mutex(State())
    private let stopSignal: AsyncStream<Void>
    private let stopContinuation: AsyncStream<Void>.Continuation

    /// - Parameters:
    ///   - security: plaintext or TLS.
    ///   - serverName: with TLS, the name the certificate is verified against (and sent as SNI and
    ///     `:authority`) instead of `address.host` — the `dns:///` name an address was resolved from.
    init(
        address: EndpointAddress,
        backoff: HTTP2ClientTransport.Config.Backoff,
        security: EndpointSecurity = .plaintext,
        serverName: String? = nil
    ) throws {
        self.address = address
        // Host names and IP literals alike through getaddrinfo; with TLS, IP literals as addresses (an IP
        // is no SNI name: TLS then checks the certificate's IP entries).
        let target: any ResolvableTarget =
            if security.isPlaintext {
                ResolvableTargets.DNS.dns(host: address.host, port: address.port)
            } else if address.isIPv6Literal {
                ResolvableTargets.IPv6.ipv6(address: address.host, port: address.port)
            } else if address.isIPv4Literal {
                ResolvableTargets.IPv4.ipv4(address: address.host, port: address.port)
            } else {
                ResolvableTargets.DNS.dns(host: address.host, port: address.port)
            }
        self.transport = try HTTP2ClientTransport.Posix(
            target: target,
            transportSecurity: security.transportSecurity,
            config: .defaults { config in
                config.backoff = backoff
                if let serverName, !security.isPlaintext { config.http2.authority = serverName }
            }
        )
        self.client = GRPCClient(transport: transport)
        (stopSignal, stopContinuation) = AsyncStream.makeStream(of: Void.self)
    }

    var health: Health { state.withLock { $0.health } }

    /// Records what the health watch says; returns the previous value.
    @discardableResult
    func setHealth(_ health: Health) -> Health {
        state.withLock { state in
            let previous = state.health
            state.health = health
            if health == .serving, previous != .serving { state.suspectUntil = nil }
            return previous
        }
    }

    /// Passes this endpoint over for ``suspicionPeriod`` while others are healthy.
    func markSuspect() {
        state.withLock { $0.suspectUntil = .now + Self.suspicionPeriod }
    }

    /// Whether it is SERVING and no call failed there with `unavailable` lately.
    func isPreferred(at now: ContinuousClock.Instant) -> Bool {
        state.withLock { state in
            state.health == .serving && (state.suspectUntil.map { now >= $0 } ?? true)
        }
    }

    /// Runs the connections (and, with `watch`, the health watch) until ``stop()``, then shuts the
    /// connection down gracefully: streams already open finish, new ones are refused.
    /// `onStopServing` runs each time the watch sees the endpoint stop serving.
    func run(
        watchingHealth watch: Bool,
        logger: Logger,
        onStopServing: @escaping @Sendable () -> Void = {}
    ) async {
        await withDiscardingTaskGroup { group in
            group.addTask { _ = try? await self.client.runConnections() }
            group.addTask {
                await withDiscardingTaskGroup { watchGroup in
                    if watch {
                        watchGroup.addTask { await self.watchHealth(logger: logger, onStopServing: onStopServing) }
                    }
                    for await _ in self.stopSignal {}
                    watchGroup.cancelAll()
                }
                self.client.beginGracefulShutdown()
            }
        }
    }

    /// Ends ``run(watchingHealth:logger:)``.
    func stop() {
        setHealth(.notServing)
        stopContinuation.finish()
    }

    /// Follows grpc.health.v1 `Watch` for the whole server (service ""), re-opening it with backoff
    /// whenever it ends; the endpoint counts as not serving while no watch is open.
    private func watchHealth(logger: Logger, onStopServing: @escaping @Sendable () -> Void) async {
        let health = Grpc_Health_V1_Health.Client(wrapping: client)
        var delay = Duration.milliseconds(100)
        while !Task.isCancelled {
            do {
                let sawStatus = try await health.watch(.with { $0.service = "" }) { response in
                    var sawStatus = false
                    for try await message in response.messages {
                        sawStatus = true
                        self.record(message.status == .serving ? .serving : .notServing, logger: logger, onStopServing)
                    }
                    return sawStatus
                }
                if sawStatus { delay = .milliseconds(100) }
            } catch let error as RPCError where error.code == .unimplemented {
                // A peer without the health service: its connection is all there is to go by.
                record(.serving, logger: logger, onStopServing)
                return
            } catch {
                // Connection refused, reset, or the client is stopping: handled below.
            }
            record(.notServing, logger: logger, onStopServing)
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(2))
        }
    }

    private func record(_ health: Health, logger: Logger, _ onStopServing: @Sendable () -> Void) {
        let previous = setHealth(health)
        guard previous != health else { return }
        if health == .notServing { onStopServing() }
        let level: Logger.Level = health == .serving ? .info : .warning
        logger.log(
            level: level, "gRPC endpoint \(health == .serving ? "serving" : "not serving")",
            metadata: ["endpoint": "\(address)"])
    }
}

/// How a ``BalancedEndpoint`` connects: plaintext, or TLS with the given client security.
enum EndpointSecurity: Sendable {
    case plaintext
    case tls(HTTP2ClientTransport.Posix.TransportSecurity)

    var isPlaintext: Bool {
        if case .plaintext = self { return true }
        return false
    }

    var transportSecurity: HTTP2ClientTransport.Posix.TransportSecurity {
        switch self {
        case .plaintext: .plaintext
        case .tls(let security): security
        }
    }
}
