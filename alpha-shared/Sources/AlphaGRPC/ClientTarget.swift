import AlphaCore

/// Where a gRPC client finds its peer: one or more fixed addresses, or a DNS name whose every
/// A/AAAA record is an endpoint.
///
/// Written in configuration as:
/// - `host:port` — one endpoint (the common case, as cheap as a plain client);
/// - `host1:port1,host2:port2` — several endpoints, balanced round-robin (replicas on one machine);
/// - `dns:///name:port` — every address the name resolves to, re-resolved periodically (a
///   Kubernetes headless Service such as `dns:///user-service:50051`).
///
/// IPv6 literals are written in brackets: `[::1]:50051`.
public enum ClientTarget: Sendable, Hashable, CustomStringConvertible {
    /// Fixed endpoints, in the order given.
    case addresses([EndpointAddress])
    /// A name resolved through DNS, each resolved address an endpoint.
    case dns(host: String, port: Int)

    /// Parses the configuration form (see the type's documentation); `nil` when malformed.
    public init?(parsing text: String) {
        let trimmed = text.trimmedOfWhitespace
        if trimmed.hasPrefix("dns:///") {
            guard let address = EndpointAddress(parsing: String(trimmed.dropFirst("dns:///".count))) else {
                return nil
            }
            self = .dns(host: address.host, port: address.port)
            return
        }
        var addresses: [EndpointAddress] = []
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            guard let address = EndpointAddress(parsing: String(part)) else { return nil }
            if !addresses.contains(address) { addresses.append(address) }
        }
        guard !addresses.isEmpty else { return nil }
        self = .addresses(addresses)
    }

    /// The form accepted by ``init(parsing:)``, for error messages.
    public static let expectedForm = "host:port, host:port,host:port, or dns:///name:port"

    /// The target in the form it was configured in.
    public var description: String {
        switch self {
        case .addresses(let addresses): addresses.map(\.description).joined(separator: ",")
        case .dns(let host, let port): "dns:///\(EndpointAddress(host: host, port: port))"
        }
    }
}

/// One endpoint of a ``ClientTarget``: a host name or IP literal, and a port.
public struct EndpointAddress: Sendable, Hashable, CustomStringConvertible {
    /// A host name, an IPv4 literal, or an IPv6 literal (without brackets).
    public var host: String
    /// The TCP port, 1…65535.
    public var port: Int

    /// An endpoint at `host:port`.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` or `[ipv6]:port`; `nil` when malformed.
    public init?(parsing text: String) {
        let text = text.trimmedOfWhitespace
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return nil
            }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
        } else {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            hostPart = parts[0]
            portPart = parts[1]
        }
        guard !hostPart.isEmpty, !hostPart.contains(where: \.isWhitespace),
            let port = Int(portPart), (1...65535).contains(port)
        else { return nil }
        self.init(host: String(hostPart), port: port)
    }

    /// Whether the host is an IPv6 literal.
    var isIPv6Literal: Bool { host.contains(":") }

    /// Whether the host is a dotted-quad IPv4 literal.
    var isIPv4Literal: Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && UInt8(part) != nil
            }
    }

    /// `host:port`, with an IPv6 literal in brackets.
    public var description: String { isIPv6Literal ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension Settings {
    /// The ``ClientTarget`` in `key` (for example `USER_SERVICE_URL`), `defaultValue` when unset.
    public func clientTarget(_ key: String, default defaultValue: String) throws(ConfigurationError) -> ClientTarget {
        let text = string(key, default: defaultValue)
        guard let target = ClientTarget(parsing: text) else {
            throw .malformed(
                variable: Settings.variableName(for: key), value: text, expected: ClientTarget.expectedForm)
        }
        return target
    }
}

extension String {
    fileprivate var trimmedOfWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
