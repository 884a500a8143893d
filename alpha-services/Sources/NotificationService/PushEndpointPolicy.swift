import Foundation

/// Rules for the user-supplied URLs push requests go to (SSRF protection).
///
/// With `allowInsecure == false` (the default; `PUSH_ALLOW_INSECURE_ENDPOINTS=false`):
/// - at registration (E29), an endpoint must be an absolute `https` URL without user info, whose host is
///   not `localhost`, a `.localhost`/`.local`/`.internal` name or a non-public IP literal
///   (``PushAddressPolicy``) — refused with 400;
/// - at send time, the host is resolved and the request is refused unless every address is public; the
///   connection then goes to the checked address (no second lookup a rebinding DNS server could answer
///   differently), redirects are not followed.
///
/// With `allowInsecure == true` (development and tests only) `http` and any address are allowed.
public struct PushEndpointPolicy: Sendable, Hashable {
    public var allowInsecure: Bool

    public init(allowInsecure: Bool = false) {
        self.allowInsecure = allowInsecure
    }

    /// Why an endpoint is refused.
    public enum Refusal: Error, Hashable, CustomStringConvertible {
        case notAURL
        case schemeNotAllowed(String)
        case privateHost(String)
        case unresolvable(String)

        public var description: String {
            switch self {
            case .notAURL: "not an absolute URL"
            case .schemeNotAllowed(let scheme): "scheme \(scheme) not allowed (https only)"
            case .privateHost(let host): "host \(host) is not a public address"
            case .unresolvable(let host): "host \(host) does not resolve"
            }
        }
    }

    /// The endpoint as a URL if it may be registered; the checks that need no DNS.
    public func validate(_ endpoint: String) throws(Refusal) -> URL {
        guard let components = URLComponents(string: endpoint), let url = components.url,
            let scheme = components.scheme?.lowercased(), let host = components.host, !host.isEmpty,
            components.user == nil, components.password == nil
        else { throw .notAURL }
        guard scheme == "https" || (allowInsecure && scheme == "http") else { throw .schemeNotAllowed(scheme) }
        guard !allowInsecure else { return url }
        let name = Self.unbracketed(host).lowercased()
        if PushAddressPolicy.isIPLiteral(name) {
            guard PushAddressPolicy.isPublic(name) else { throw .privateHost(host) }
        } else {
            let trimmed = name.hasSuffix(".") ? String(name.dropLast()) : name
            let internalSuffixes = [".localhost", ".local", ".internal", ".localdomain"]
            guard trimmed != "localhost", !trimmed.isEmpty, !internalSuffixes.contains(where: trimmed.hasSuffix)
            else { throw .privateHost(host) }
        }
        return url
    }

    /// The address to connect to for `url`: resolves its host (unless it is an IP literal) and refuses it
    /// unless every address is public. `nil` in insecure mode (connect as the URL says).
    public func vettedAddress(for url: URL, resolver: any HostResolver) async throws(Refusal) -> String? {
        guard !allowInsecure else { return nil }
        _ = try validate(url.absoluteString)
        let host = Self.unbracketed(url.host ?? "")
        if PushAddressPolicy.isIPLiteral(host) { return nil }  // already checked by validate
        let addresses = await resolver.addresses(of: host)
        guard let first = addresses.first else { throw .unresolvable(host) }
        // Every address must be public: a name with one private address is refused outright.
        guard addresses.allSatisfy(PushAddressPolicy.isPublic) else { throw .privateHost(host) }
        return first
    }

    static func unbracketed(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }
}

/// Looks up the IP addresses of a host name.
public protocol HostResolver: Sendable {
    /// The textual addresses of `host`; empty when it does not resolve.
    func addresses(of host: String) async -> [String]
}

/// ``HostResolver`` with the system's `getaddrinfo`, run off the cooperative thread pool.
public struct SystemHostResolver: HostResolver {
    public init() {}

    public func addresses(of host: String) async -> [String] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Self.lookup(host))
            }
        }
    }

    static func lookup(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if let address = entry.pointee.ai_addr,
                getnameinfo(
                    address, entry.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0
            {
                let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !addresses.contains(text) { addresses.append(text) }
            }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }
}
