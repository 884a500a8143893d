import Foundation
import Synchronization

/// The next candidate of ``freePort()``. Ports are handed out once per test process, counting up from a
/// random start in 10000–12499: below the kernel's ephemeral range (32768–60999), so an outgoing
/// connection never takes one, and never twice, so two suites starting servers in parallel cannot be
/// given the same port between the check and the server binding it.
private let nextCandidatePort = Mutex(10_000 + Int.random(in: 0..<2_500))

/// A loopback TCP port that is free now and that no other caller in this test process is given: for a
/// process or server under test whose settings need a real port (`GRPC_PORT`, `ADMIN_PORT`).
///
/// ```swift
/// let environment = ["GRPC_HOST": "127.0.0.1", "GRPC_PORT": "\(try freePort())"]
/// ```
///
/// - Throws: ``NoFreePort`` when every port up to 14999 was handed out or taken.
public func freePort() throws -> Int {
    while true {
        let candidate = nextCandidatePort.withLock { next in
            defer { next += 1 }
            return next
        }
        guard candidate < 15_000 else { throw NoFreePort() }
        if canBind(port: candidate) { return candidate }
    }
}

/// ``freePort()`` found no free port left in 10000–14999.
public struct NoFreePort: Error, CustomStringConvertible {
    public var description: String { "no free port left in 10000–14999" }
}

/// Whether `port` on 127.0.0.1 can be bound right now.
private func canBind(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    return bound == 0
}
