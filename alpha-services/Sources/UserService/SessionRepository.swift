import Foundation

/// What a refresh attempt came to.
public enum SessionRotation: Sendable, Equatable {
    /// The presented token was alive: the successor is stored; the user's token version is given.
    case rotated(tokenVersion: Int64)
    /// Unknown, expired, retired longer than the grace, of an older version, or the user is gone or not
    /// activated.
    case refused
}

/// Storage of refresh-token ids (revocable sessions). The real one is ``PostgresSessionRepository``.
public protocol SessionRepository: Sendable {
    /// Stores `tokenID` as a live refresh token of `username` and returns the user's token version;
    /// `nil` when there is no such activated user.
    func startSession(for username: String, tokenID: UUID, now: Date, expiresAt: Date) async throws -> Int64?

    /// In one transaction: checks the user (exists, activated, `tokenVersion` current) and the presented
    /// token (known, not expired, not retired before `retiredBefore`), retires it if it was live, and
    /// stores `successor`.
    func rotate(
        username: String,
        presented: UUID,
        tokenVersion: Int64,
        successor: UUID,
        now: Date,
        retiredBefore: Date,
        expiresAt: Date
    ) async throws -> SessionRotation
}
