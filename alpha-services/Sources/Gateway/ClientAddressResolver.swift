import Foundation
import HTTPTypes
import Hummingbird

/// Decides which address a request comes from, for the per-address abuse limits.
///
/// The client address is the socket peer, unless the peer is one of the configured trusted proxies
/// (`TRUSTED_PROXIES`): then `X-Forwarded-For` is read from the right, skipping trusted proxies, and the
/// first untrusted address is the client. A client cannot forge its address by sending the header
/// itself, because only a trusted peer's header is read.
public struct ClientAddressResolver: Sendable {
    private let trusted: [IPNetwork]

    /// `trustedProxies`: IP addresses or CIDR blocks (`10.0.0.0/8`, `fd00::/8`).
    public init(trustedProxies: [IPNetwork]) {
        self.trusted = trustedProxies
    }

    /// The client address of `request` (as text), or `""` when the server recorded no peer (a Unix socket,
    /// an in-memory test): the user service then applies only its per-user limits.
    func clientAddress(of request: Request) -> String {
        guard let peer = request.headers[PeerAddressHandler.headerName], !peer.isEmpty else { return "" }
        return clientAddress(peer: peer, forwardedFor: request.headers[values: HTTPField.Name("X-Forwarded-For")!])
    }

    /// The client address for a connection from `peer` carrying the `X-Forwarded-For` lines `forwardedFor`.
    public func clientAddress(peer: String, forwardedFor: [String]) -> String {
        guard isTrusted(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var client = peer
        for hop in hops.reversed() {
            guard IPNetwork.parseAddress(hop) != nil else { break }  // garbage: stop at the last sane hop
            client = hop
            if !isTrusted(hop) { break }
        }
        return client
    }

    private func isTrusted(_ address: String) -> Bool {
        guard let bytes = IPNetwork.parseAddress(address) else { return false }
        return trusted.contains { $0.contains(bytes) }
    }
}

/// An IPv4 or IPv6 network in CIDR form; a plain address is a network of one.
public struct IPNetwork: Sendable, Hashable {
    let address: [UInt8]
    let prefixLength: Int

    /// Parses `192.168.0.0/16`, `10.1.2.3`, `fd00::/8` or `::1`; `nil` when malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = Self.parseAddress(String(parts[0])) else { return nil }
        let maximum = address.count * 8
        var length = maximum
        if parts.count == 2 {
            guard let given = Int(parts[1]), (0...maximum).contains(given) else { return nil }
            length = given
        }
        let unmapped = Self.unmapped(address)
        // An IPv4-mapped IPv6 network (::ffff:10.0.0.0/104) is the IPv4 network it maps.
        if unmapped.count != address.count {
            guard length >= 96 else { return nil }
            length -= 96
        }
        self.address = unmapped
        self.prefixLength = length
    }

    /// Whether the address bytes `candidate` lie in this network (an IPv4 address never lies in an IPv6
    /// network and vice versa, except IPv4-mapped IPv6 addresses, compared as IPv4).
    func contains(_ candidate: [UInt8]) -> Bool {
        let candidate = Self.unmapped(candidate)
        guard candidate.count == address.count else { return false }
        var remaining = prefixLength
        for index in address.indices where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            guard address[index] & mask == candidate[index] & mask else { return false }
            remaining -= bits
        }
        return true
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address in text form; `nil` when malformed.
    static func parseAddress(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    private static func unmapped(_ bytes: [UInt8]) -> [UInt8] {
        if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            return Array(bytes[12...])
        }
        return bytes
    }
}
