import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import Synchronization

/// A gRPC client transport that spreads calls round-robin over the healthy endpoints of a
/// ``ClientTarget``.
///
/// Each endpoint has its own HTTP/2 connection and, when there can be more than one endpoint, a
/// grpc.health.v1 `Watch` on the whole server. A call goes to the next endpoint in turn among those
/// that report SERVING; one that reports NOT_SERVING (it is draining), whose connection or watch
/// breaks, or where a call just failed with `unavailable`, is passed over at once. Only when no
/// endpoint is SERVING does a call go to one whose state is not known yet (start-up), and then to
/// any, waiting for a connection as the method's configuration says.
///
/// A call whose stream could not even be opened on an endpoint (nothing was sent) is tried once on
/// another endpoint, whatever the method. Methods listed as idempotent are also retried once, on
/// another endpoint, when they fail with `unavailable` before any response arrived: list only reads.
///
/// `dns:///name:port` targets are resolved at start and every `dnsRefreshInterval`, and at once
/// when an endpoint stops serving; endpoints whose address disappears are drained and dropped (a
/// failed or empty resolution keeps the previous endpoints).
///
/// With ``GRPCTLS`` every endpoint's connection is TLS. A fixed endpoint's certificate is verified
/// against its own host (name or IP literal); a `dns:///name:port` endpoint's against `name`, not the
/// address it resolved to.
///
/// With a single fixed address there is no health watch, no retry and no per-call bookkeeping:
/// calls go straight to the one connection.
public final class BalancingClientTransport: ClientTransport, Sendable {
    /// The byte container of the underlying HTTP/2 transport.
    public typealias Bytes = HTTP2ClientTransport.Posix.Bytes

    private struct State {
        var endpoints: [BalancedEndpoint] = []
        var next = 0
        var isShutDown = false
    }

    /// The target this transport balances over.
    public let target: ClientTarget
    private let single: BalancedEndpoint?
    private let state = Mutex(State())
    private let added: AsyncStream<BalancedEndpoint>
    private let addedContinuation: AsyncStream<BalancedEndpoint>.Continuation
    private let resolveNow: AsyncStream<Void>
    private let resolveNowContinuation: AsyncStream<Void>.Continuation
    private let methodConfig: MethodConfig
    private let idempotentConfig: MethodConfig
    private let idempotentMethods: Set<MethodDescriptor>
    private let backoff: HTTP2ClientTransport.Config.Backoff
    private let dnsRefreshInterval: Duration
    private let transportSecurity: EndpointSecurity
    private let logger: Logger

    /// Creates a transport for `target`.
    ///
    /// - Parameters:
    ///   - methodConfig: applied to every method (deadline, wait-for-ready, message sizes); its
    ///     `names` are ignored.
    ///   - idempotentMethods: reads that may be retried once on another endpoint after `unavailable`.
    ///   - backoff: reconnection backoff of each endpoint's connection.
    ///   - dnsRefreshInterval: how often a `dns:///` target is resolved again.
    ///   - tls: dial every endpoint over TLS (`nil`: plaintext).
    public init(
        target: ClientTarget,
        methodConfig: MethodConfig,
        idempotentMethods: Set<MethodDescriptor> = [],
        backoff: HTTP2ClientTransport.Config.Backoff = .init(
            initial: .milliseconds(100), max: .seconds(3), multiplier: 1.6, jitter: 0.2),
        dnsRefreshInterval: Duration = .seconds(5),
        tls: GRPCTLS? = nil,
        logger: Logger = Logger(label: "alpha.grpc.client")
    ) throws {
        self.target = target
        self.transportSecurity = tls.map { .tls($0.clientSecurity) } ?? .plaintext
        self.methodConfig = methodConfig
        var idempotentConfig = methodConfig
        idempotentConfig.executionPolicy = .retry(
            RetryPolicy(
                maxAttempts: 2,
                initialBackoff: .milliseconds(10),
                maxBackoff: .milliseconds(100),
                backoffMultiplier: 2,
                retryableStatusCodes: [.unavailable]
            )
        )
        self.idempotentConfig = idempotentConfig
        self.idempotentMethods = idempotentMethods
        self.backoff = backoff
        self.dnsRefreshInterval = dnsRefreshInterval
        self.logger = logger
        (added, addedContinuation) = AsyncStream.makeStream(of: BalancedEndpoint.self)
        (resolveNow, resolveNowContinuation) = AsyncStream.makeStream(
            of: Void.self, bufferingPolicy: .bufferingNewest(1))
        switch target {
        case .addresses(let addresses) where addresses.count == 1:
            let endpoint = try Self.makeEndpoint(
                addresses[0], target: target, backoff: backoff, security: transportSecurity)
            single = endpoint
            state.withLock { $0.endpoints = [endpoint] }
            addedContinuation.yield(endpoint)
        case .addresses(let addresses):
            single = nil
            let endpoints = try addresses.map {
                try Self.makeEndpoint($0, target: target, backoff: backoff, security: transportSecurity)
            }
            state.withLock { $0.endpoints = endpoints }
            for endpoint in endpoints { addedContinuation.yield(endpoint) }
        case .dns:
            single = nil
        }
    }

    /// The addresses currently balanced over, in order.
    public var endpointAddresses: [EndpointAddress] {
        state.withLock { $0.endpoints.map(\.address) }
    }

    /// The addresses whose health watch last reported SERVING (always empty with a single address,
    /// which is not watched).
    public var servingEndpointAddresses: [EndpointAddress] {
        state.withLock { $0.endpoints.filter { $0.health == .serving }.map(\.address) }
    }

    /// No retry throttle: retries are limited per method by ``config(forMethod:)``.
    public var retryThrottle: RetryThrottle? { nil }

    /// The method config: one retry on another endpoint for idempotent methods over several endpoints.
    public func config(forMethod descriptor: MethodDescriptor) -> MethodConfig? {
        if single == nil, idempotentMethods.contains(descriptor) { return idempotentConfig }
        return methodConfig
    }

    /// Runs every endpoint's connection (and health watch) and, for a DNS target, the resolver,
    /// until ``beginGracefulShutdown()``.
    public func connect() async throws {
        await withDiscardingTaskGroup { group in
            if case .dns(let host, let port) = target {
                group.addTask { await self.resolveRepeatedly(host: host, port: port) }
            }
            let watch = single == nil
            for await endpoint in added {
                group.addTask {
                    await endpoint.run(watchingHealth: watch, logger: self.logger) {
                        self.resolveNowContinuation.yield()
                    }
                }
            }
        }
    }

    /// Stops opening new streams; open ones finish, then ``connect()`` returns.
    public func beginGracefulShutdown() {
        let endpoints = state.withLock { state in
            state.isShutDown = true
            return state.endpoints
        }
        addedContinuation.finish()
        resolveNowContinuation.finish()
        for endpoint in endpoints { endpoint.stop() }
    }

    /// Opens a stream on the next serving endpoint (round-robin) and runs `closure` with it.
    public func withStream<T: Sendable>(
        descriptor: MethodDescriptor,
        options: CallOptions,
        _ closure: (RPCStream<Inbound, Outbound>, ClientContext) async throws -> T
    ) async throws -> T {
        if let single {
            return try await single.transport.withStream(descriptor: descriptor, options: options, closure)
        }
        guard let first = pick(avoiding: nil) else {
            throw RPCError(code: .unavailable, message: "no endpoint for \(target) resolved yet")
        }
        do {
            return try await openStream(on: first, descriptor: descriptor, options: options, closure)
        } catch let notOpened as StreamNotOpened {
            // Nothing reached the peer: any method may go to another endpoint.
            guard let second = pick(avoiding: first), second !== first else { throw notOpened.error }
            do {
                return try await openStream(on: second, descriptor: descriptor, options: options, closure)
            } catch let again as StreamNotOpened {
                throw again.error
            }
        }
    }

    private struct StreamNotOpened: Error {
        var error: any Error
    }

    /// Opens the stream on `endpoint`, watching its responses for `unavailable`. Throws
    /// ``StreamNotOpened`` when the endpoint refused the stream with `unavailable` before anything
    /// was sent.
    private func openStream<T: Sendable>(
        on endpoint: BalancedEndpoint,
        descriptor: MethodDescriptor,
        options: CallOptions,
        _ closure: (RPCStream<Inbound, Outbound>, ClientContext) async throws -> T
    ) async throws -> T {
        var opened = false
        do {
            return try await endpoint.transport.withStream(descriptor: descriptor, options: options) {
                stream, context in
                opened = true
                let watched = RPCStream(
                    descriptor: stream.descriptor,
                    inbound: RPCAsyncSequence(
                        wrapping: UnavailableWatchingSequence(base: stream.inbound) {
                            endpoint.markSuspect()
                        }),
                    outbound: stream.outbound
                )
                return try await closure(watched, context)
            }
        } catch let error as RPCError where !opened && error.code == .unavailable {
            endpoint.markSuspect()
            throw StreamNotOpened(error: error)
        }
    }

    /// The next endpoint in turn among the best available: SERVING and not suspect, then SERVING,
    /// then not known to be down, then any (always `avoiding` another one when there is a choice).
    private func pick(avoiding avoided: BalancedEndpoint?) -> BalancedEndpoint? {
        let now = ContinuousClock.now
        return state.withLock { state -> BalancedEndpoint? in
            let all = state.endpoints
            guard !all.isEmpty else { return nil }
            let others = all.filter { $0 !== avoided }
            let pool = others.isEmpty ? all : others
            var candidates = pool.filter { $0.isPreferred(at: now) }
            if candidates.isEmpty { candidates = pool.filter { $0.health == .serving } }
            if candidates.isEmpty { candidates = pool.filter { $0.health != .notServing } }
            if candidates.isEmpty { candidates = pool }
            let chosen = candidates[state.next % candidates.count]
            state.next &+= 1
            return chosen
        }
    }

    /// Resolves `host` now, every ``dnsRefreshInterval``, and whenever an endpoint stops serving.
    private func resolveRepeatedly(host: String, port: Int) async {
        await withDiscardingTaskGroup { group in
            group.addTask {
                // Wakes the loop below periodically; notices the shutdown within a quarter second.
                let slice = Duration.milliseconds(250)
                var waited = Duration.zero
                while !self.isShutDown {
                    try? await Task.sleep(for: slice)
                    waited += slice
                    if waited >= self.dnsRefreshInterval {
                        waited = .zero
                        self.resolveNowContinuation.yield()
                    }
                }
            }
            await resolve(host: host, port: port)
            for await _ in resolveNow {
                await resolve(host: host, port: port)
            }
        }
    }

    private var isShutDown: Bool { state.withLock { $0.isShutDown } }

    /// An endpoint of `target` at `address`; a resolved `dns:///` endpoint is verified against the
    /// target's name.
    private static func makeEndpoint(
        _ address: EndpointAddress,
        target: ClientTarget,
        backoff: HTTP2ClientTransport.Config.Backoff,
        security: EndpointSecurity
    ) throws -> BalancedEndpoint {
        let serverName: String? =
            switch target {
            case .dns(let host, _): host
            case .addresses: nil
            }
        return try BalancedEndpoint(
            address: address, backoff: backoff, security: security, serverName: serverName)
    }

    private func resolve(host: String, port: Int) async {
        let addresses: [EndpointAddress]
        do {
            addresses = try await DNSEndpointResolver.resolve(host: host, port: port)
        } catch {
            logger.warning(
                "resolving gRPC target failed; keeping its endpoints",
                metadata: [
                    "target": "\(target)", "error": "\(error)",
                ])
            return
        }
        guard !addresses.isEmpty else { return }
        reconcile(with: addresses)
    }

    /// Adds endpoints for new addresses and drains those whose address is gone.
    func reconcile(with addresses: [EndpointAddress]) {
        let wanted = Set(addresses)
        let (new, gone) = state.withLock { state -> ([BalancedEndpoint], [BalancedEndpoint]) in
            guard !state.isShutDown else { return ([], []) }
            let current = Set(state.endpoints.map(\.address))
            let gone = state.endpoints.filter { !wanted.contains($0.address) }
            state.endpoints.removeAll { !wanted.contains($0.address) }
            var new: [BalancedEndpoint] = []
            for address in addresses where !current.contains(address) {
                guard
                    let endpoint = try? Self.makeEndpoint(
                        address, target: target, backoff: backoff, security: transportSecurity)
                else { continue }
                state.endpoints.append(endpoint)
                new.append(endpoint)
            }
            return (new, gone)
        }
        for endpoint in new { addedContinuation.yield(endpoint) }
        for endpoint in gone { endpoint.stop() }
        if !new.isEmpty || !gone.isEmpty {
            logger.info(
                "gRPC target endpoints changed",
                metadata: [
                    "target": "\(target)",
                    "added": "\(new.map(\.address.description))",
                    "removed": "\(gone.map(\.address.description))",
                ])
        }
    }
}

/// Passes a response stream through, calling `onUnavailable` when it ends with `unavailable`.
private struct UnavailableWatchingSequence<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable
where Base.Element == RPCResponsePart<GRPCNIOTransportBytes> {
    typealias Element = RPCResponsePart<GRPCNIOTransportBytes>
    typealias Failure = any Error

    let base: Base
    let onUnavailable: @Sendable () -> Void

    func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), onUnavailable: onUnavailable)
    }

    struct Iterator: AsyncIteratorProtocol {
        typealias Element = RPCResponsePart<GRPCNIOTransportBytes>
        typealias Failure = any Error

        var base: Base.AsyncIterator
        let onUnavailable: @Sendable () -> Void

        mutating func next() async throws -> Element? {
            do {
                let part = try await base.next()
                if case .status(let status, _)? = part, status.code == .unavailable { onUnavailable() }
                return part
            } catch {
                if let error = error as? RPCError, error.code == .unavailable { onUnavailable() }
                throw error
            }
        }
    }
}
