#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Resolves a name to every IPv4 and IPv6 address it has (all A and AAAA records), each an
/// endpoint of a ``BalancingClientTransport``.
enum DNSEndpointResolver {
    struct ResolutionError: Error, CustomStringConvertible {
        let host: String
        let code: Int32
        var description: String { "could not resolve \(host) (getaddrinfo error \(code))" }
    }

    /// The distinct addresses of `host`, in a stable order (sorted), each with `port`.
    ///
    /// Runs the blocking `getaddrinfo` on a detached task so the caller's executor keeps going.
    static func resolve(host: String, port: Int) async throws -> [EndpointAddress] {
        try await Task.detached { try resolveBlocking(host: host, port: port) }.value
    }

    private static func resolveBlocking(host: String, port: Int) throws -> [EndpointAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, String(port), &hints, &result)
        guard code == 0 else { throw ResolutionError(host: host, code: code) }
        defer { freeaddrinfo(result) }
        var addresses = Set<EndpointAddress>()
        var entry = result
        while let info = entry?.pointee {
            defer { entry = info.ai_next }
            guard let socketAddress = info.ai_addr else { continue }
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
            switch info.ai_family {
            case AF_INET:
                var address = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                guard inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count)) != nil else { continue }
            case AF_INET6:
                var address = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    $0.pointee.sin6_addr
                }
                guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { continue }
            default:
                continue
            }
            let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            addresses.insert(EndpointAddress(host: text, port: port))
        }
        return addresses.sorted { $0.description < $1.description }
    }
}
