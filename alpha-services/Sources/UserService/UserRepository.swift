import Foundation

/// Storage of accounts. The real implementation is ``PostgresUserRepository``.
public protocol UserRepository: Sendable {
    /// Whether `username` exists and is activated; `nil` when there is no such user.
    func activationState(of username: String) async throws -> Bool?
}
