import AlphaCore
import Foundation

/// The mailed 6-digit codes, issued and checked the same way by every flow.
extension AccountsHandler {
    /// What checking a typed code against the stored one found.
    enum CodeCheck: Sendable {
        /// The stored code, in time: the caller consumes it.
        case valid
        /// No code stored (none issued, consumed, or invalidated by too many wrong guesses), or another one:
        /// a wrong guess was counted.
        case wrong
        /// The stored code, too late.
        case expired
    }

    /// Stores a fresh code of `purpose` for `username` (replacing any earlier one) and writes the mail that
    /// carries it to `address` into the outbox, both in `transaction`: the code is mailed exactly when it
    /// is committed. Registration, a resend, an expired activation and a password reset all issue this way.
    func issueCode(
        _ purpose: CodePurpose,
        for username: String,
        mailTo address: String,
        now: Date,
        in transaction: any AccountTransaction
    ) async throws {
        let code = codes.newCode()
        try await transaction.storeCode(
            code,
            purpose: purpose,
            for: username,
            expiresAt: now.addingTimeInterval(policy.codeLifetime.inSeconds)
        )
        let kind: AccountMail.Kind =
            switch purpose {
            case .activation: .activationCode
            case .passwordReset: .passwordResetCode
            }
        try await transaction.enqueueMail(AccountMail(kind: kind, toAddress: address, username: username, code: code))
    }

    /// Checks `typed` against the code of `username` for `purpose` in `transaction` (whose account row the
    /// caller has locked), counting a wrong guess; the guess that reaches the policy's limit deletes the code.
    func checkCode(
        _ typed: String,
        _ purpose: CodePurpose,
        of username: String,
        now: Date,
        in transaction: any AccountTransaction
    ) async throws -> CodeCheck {
        guard let stored = try await transaction.code(of: username, purpose: purpose) else { return .wrong }
        guard stored.matches(typed) else {
            try await transaction.recordWrongCode(purpose: purpose, for: username, maxAttempts: policy.maxCodeAttempts)
            return .wrong
        }
        return stored.expiresAt > now ? .valid : .expired
    }
}

extension AccountTransaction {
    /// ``lockAccount(_:)`` as the code flows need it (E03, E04, E07, E08): no such user → `userNotFound`.
    func lockExistingAccount(_ username: String) async throws -> AccountState {
        guard let account = try await lockAccount(username) else { throw ServiceError.userNotFound(username) }
        return account
    }
}
