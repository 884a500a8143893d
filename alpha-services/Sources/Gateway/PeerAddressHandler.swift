import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// A channel handler that writes the socket peer's IP address into every request head as
/// ``headerName``, replacing any value the client sent, so the routes (which see only the request) know
/// who is connected. ``ClientAddressResolver`` reads it.
final class PeerAddressHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    /// The internal header; never trusted from the network because this handler overwrites it.
    static let headerName = HTTPField.Name("X-Alpha-Peer-Address")!

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        head.headerFields[Self.headerName] = context.channel.remoteAddress?.ipAddress
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }
}
