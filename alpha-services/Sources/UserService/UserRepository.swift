import Foundation

/// Storage of accounts and profiles, and the abuse-limit counters. The real implementation is
/// ``PostgresUserRepository``.
public protocol UserRepository: AbuseCounters, Sendable {
    /// Whether `username` exists and is activated; `nil` when there is no such user.
    func activationState(of username: String) async throws -> Bool?

    /// The password hash and activation state of `username`; `nil` when there is no such user.
    func loginRecord(of username: String) async throws -> LoginRecord?

    /// Replaces the password hash of `username` and revokes its sessions (token version + 1, refresh
    /// tokens deleted); `false` when there is no such user.
    func setPasswordHash(_ hash: String, for username: String) async throws -> Bool

    /// The profile of `username` with its follow counts and `viewer`'s subscription to it.
    func profile(of username: String, viewer: String) async throws -> ProfileRecord?

    /// Overwrites nickname and status of `username` and applies `picture` when given: the picture version
    /// counts one up and the image commit (or deletion, for a reset) goes into the outbox in the same
    /// transaction. Returns the new picture version (0 when the picture is kept), `nil` when there is no
    /// such user.
    func updateProfile(
        of username: String,
        nickname: String,
        status: String,
        picture: ProfilePictureChange?
    ) async throws -> Int64?

    /// Puts `username` back on the default avatar if its picture is still version `version` — whose upload
    /// the image service no longer has — and has the pictures it stored deleted; `false` when the profile
    /// moved on (nothing to do).
    func dropMissingPicture(of username: String, version: Int64) async throws -> Bool

    /// Users whose username is within `maxDistance` edits of `query` (Levenshtein, case-sensitive),
    /// closest first, ties by username in byte order; `total` counts every match.
    func searchUsers(query: String, maxDistance: Int, offset: Int, limit: Int) async throws -> UserSearchPage

    /// The users among `usernames` that exist, in one query (unordered).
    func userSummaries(of usernames: [String]) async throws -> [UserSummaryRecord]

    /// Runs `body` in one database transaction: committed when it returns, rolled back when it throws
    /// (the error `body` threw is rethrown as it was).
    func withAccountTransaction<Result: Sendable>(
        _ body: (any AccountTransaction) async throws -> Result
    ) async throws -> Result
}

/// The account writes of one flow and the mail they cause, in one transaction.
public protocol AccountTransaction {
    /// Which of `username` / `email` is taken (the username first, as the contract requires).
    func conflict(username: String, email: String) async throws -> AccountConflict?

    /// Inserts the account; throws ``AccountConflict`` when a concurrent registration took the
    /// username or the e-mail first.
    func insertAccount(_ account: NewAccount) async throws

    /// Reads `username` and locks its row until the transaction ends, so code checks, attempts and
    /// replacements for one user happen one at a time. `nil` when there is no such user.
    func lockAccount(_ username: String) async throws -> AccountState?

    /// The stored code of `username` for `purpose`, live or expired.
    func code(of username: String, purpose: CodePurpose) async throws -> StoredCode?

    /// Stores `code` as the one code of `username` for `purpose`, replacing any earlier one and its attempts.
    func storeCode(_ code: String, purpose: CodePurpose, for username: String, expiresAt: Date) async throws

    /// Counts a wrong guess; the guess that reaches `maxAttempts` deletes the code.
    func recordWrongCode(purpose: CodePurpose, for username: String, maxAttempts: Int) async throws

    /// Deletes the code of `username` for `purpose` (consumed or useless).
    func deleteCode(purpose: CodePurpose, for username: String) async throws

    /// Marks `username` as activated at `date`.
    func markActivated(_ username: String, at date: Date) async throws

    /// Replaces the password hash of `username`, clears its failed-login counter and revokes its sessions
    /// (token version + 1, refresh tokens deleted).
    func setPasswordHash(_ hash: String, for username: String) async throws

    /// Writes `mail` into the user service's outbox, in this transaction: it is delivered after the
    /// commit (and never when the transaction rolls back).
    func enqueueMail(_ mail: AccountMail) async throws
}
