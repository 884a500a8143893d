import AlphaCore
import AlphaDomain
import Foundation

/// Applies ``AbuseLimits`` with ``AbuseCounters``: each attempt is counted *before* it is processed, so
/// parallel attempts cannot slip past a limit; an attempt over a limit throws 429 ERR-029 with the seconds
/// until its window ends.
struct AbuseLimiter: Sendable {
    /// The counter scopes (stored in `abuse_counters.scope`).
    enum Scope: String, CaseIterable {
        case codeAttempts = "code.attempts"
        case codeIssuesPerUser = "issue.user"
        case codeIssuesPerAddress = "issue.address"
        case failedLoginsPerUserAndAddress = "login.user_address"
        case failedLoginsPerAddress = "login.address"
        case failedLoginsPerUser = "login.user"
    }

    let counters: any AbuseCounters
    let limits: AbuseLimits
    let clock: any WallClock

    /// Counts a code attempt (E03/E08) of `username` for `purpose`.
    func countCodeAttempt(_ username: String, purpose: CodePurpose) async throws {
        try await reserve(.codeAttempts, "\(purpose.rawValue)|\(username)", limits.codeAttempts)
    }

    /// Counts a code issuance (E04/E07) for `username` from `address` (empty: unknown, not counted).
    func countCodeIssue(_ username: String, address: String) async throws {
        try await countCodeIssue(address: address)
        try await reserve(.codeIssuesPerUser, username, limits.codeIssuesPerUser)
    }

    /// Counts a code issuance from `address` alone (E02: the username is new; a registration that
    /// conflicts issues nothing for it).
    func countCodeIssue(address: String) async throws {
        if !address.isEmpty {
            try await reserve(.codeIssuesPerAddress, address, limits.codeIssuesPerAddress)
        }
    }

    /// Records the code a registration issued to `username`, so its resends are counted after it.
    func noteCodeIssued(to username: String) async throws {
        _ = try await counters.hit(
            scope: Scope.codeIssuesPerUser.rawValue, subject: username, now: clock.now(),
            window: limits.codeIssuesPerUser.window)
    }

    /// Counts a login attempt (E05) as failed before the password is checked; ``loginSucceeded`` takes it
    /// back.
    func countLoginAttempt(_ username: String, address: String) async throws {
        try await reserve(
            .failedLoginsPerUserAndAddress, "\(username)|\(address)", limits.failedLoginsPerUserAndAddress)
        if !address.isEmpty {
            try await reserve(.failedLoginsPerAddress, address, limits.failedLoginsPerAddress)
        }
        try await reserve(.failedLoginsPerUser, username, limits.failedLoginsPerUser)
    }

    /// A correct password: the user's own counters start again; the address keeps its other failures.
    func loginSucceeded(_ username: String, address: String) async throws {
        try await counters.clear(scope: Scope.failedLoginsPerUserAndAddress.rawValue, subject: "\(username)|\(address)")
        try await counters.clear(scope: Scope.failedLoginsPerUser.rawValue, subject: username)
        if !address.isEmpty {
            try await counters.unhit(scope: Scope.failedLoginsPerAddress.rawValue, subject: address)
        }
    }

    /// A password reset: the user's failed logins from every address are forgotten.
    func passwordWasReset(_ username: String) async throws {
        try await counters.clear(scope: Scope.failedLoginsPerUserAndAddress.rawValue, subject: username)
        try await counters.clear(scope: Scope.failedLoginsPerUser.rawValue, subject: username)
    }

    private func reserve(_ scope: Scope, _ subject: String, _ limit: AbuseLimits.Limit) async throws {
        let now = clock.now()
        let (hits, since) = try await counters.hit(
            scope: scope.rawValue, subject: subject, now: now, window: limit.window)
        guard hits > limit.maximum else { return }
        let remaining = since.addingTimeInterval(limit.window.inSeconds).timeIntervalSince(now)
        // Whole seconds, rounded up; the millisecond of slack absorbs the database's microsecond rounding.
        let seconds = Int((remaining - 0.001).rounded(.up))
        throw ServiceError.tooManyRequests(scope.rawValue, retryAfterSeconds: max(1, seconds))
    }
}
