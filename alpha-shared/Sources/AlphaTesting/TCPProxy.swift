import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A TCP proxy on 127.0.0.1 that a test can cut (every connection closed, new ones refused at once) and
/// restore: a database outage without stopping the shared PostgreSQL.
///
/// ```swift
/// let proxy = try await TCPProxy(targetHost: "127.0.0.1", targetPort: 5434)
/// await proxy.cut()      // connections through proxy.port die, new ones are closed at once
/// proxy.restore()
/// await proxy.close()
/// ```
public final class TCPProxy: Sendable {
    private struct State {
        var isCut = false
        var connections: [any Channel] = []
    }

    /// The port the proxy listens on.
    public let port: Int
    private let server: any Channel
    private let state: NIOLockedValueBox<State>

    /// Listens on a free port of 127.0.0.1 and forwards each connection to `targetHost:targetPort`.
    public init(targetHost: String, targetPort: Int) async throws {
        let state = NIOLockedValueBox(State())
        let group = MultiThreadedEventLoopGroup.singleton
        server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { inbound in
                let refused = state.withLockedValue { state -> Bool in
                    if !state.isCut { state.connections.append(inbound) }
                    return state.isCut
                }
                if refused { return inbound.close() }
                return ClientBootstrap(group: inbound.eventLoop)
                    .connect(host: targetHost, port: targetPort)
                    .flatMap { outbound in
                        state.withLockedValue { $0.connections.append(outbound) }
                        // The accepted channel registers (and starts reading) only once this future
                        // completes, so nothing is read before both forwarders are in place.
                        return outbound.pipeline.addHandler(Forwarder(partner: inbound)).flatMap {
                            inbound.pipeline.addHandler(Forwarder(partner: outbound))
                        }
                    }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        self.state = state
        port = server.localAddress?.port ?? 0
    }

    /// Closes every open connection; new ones are closed as soon as they are accepted.
    public func cut() async {
        let open = state.withLockedValue { state -> [any Channel] in
            state.isCut = true
            defer { state.connections.removeAll() }
            return state.connections
        }
        for channel in open { try? await channel.close() }
    }

    /// Lets connections through again.
    public func restore() {
        state.withLockedValue { $0.isCut = false }
    }

    /// Cuts and stops listening.
    public func close() async {
        await cut()
        try? await server.close()
    }
}

/// Writes what one side reads to the other; closes the other when this side closes.
private final class Forwarder: ChannelDuplexHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer

    let partner: any Channel

    init(partner: any Channel) {
        self.partner = partner
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        partner.writeAndFlush(unwrapInboundIn(data), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
