import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashing of passwords (CONTRACT §7.4: cost 10, 60-character hash of the raw password, D34).
///
/// bcrypt is deliberately slow (tens of milliseconds at cost 10), so both operations run on NIO's shared
/// blocking thread pool instead of occupying a thread of Swift's cooperative pool.
public struct PasswordHasher: Sendable {
    /// log2 of the bcrypt rounds.
    public let cost: UInt8

    /// A hasher with the contract's cost (10). Other costs are for tests of the hasher itself.
    public init(cost: UInt8 = 10) {
        precondition((4...31).contains(cost), "bcrypt cost must be in 4...31")
        self.cost = cost
    }

    /// The bcrypt hash of `password` (`$2b$10$…`, 60 characters) with a fresh random salt.
    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`. A malformed hash never matches.
    public func verify(_ password: String, against hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
