import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaDomain
import Foundation
import GRPCCore

/// E07, E08: a reset code by mail, then a new password with it.
extension AccountsHandler {
    // MARK: - E07 request a reset code

    public func requestPasswordReset(
        request: Alpha_User_V1_RequestPasswordResetRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_RequestPasswordResetResponse {
        try Caller.requireService()
        let username = request.username
        try await limiter.countCodeIssue(username, address: request.clientAddress)
        let now = clock.now()
        // Works for activated and non-activated accounts alike.
        let email = try await repository.withAccountTransaction { transaction -> String in
            let account = try await transaction.lockExistingAccount(username)
            try await issueCode(.passwordReset, for: username, mailTo: account.email, now: now, in: transaction)
            return account.email
        }
        return .with { $0.maskedEmail = EmailMasking.masked(email) }
    }

    // MARK: - E08 set a new password with the code

    /// What a reset attempt did; the attempt counting must be committed even when the answer is an error.
    private enum ResetOutcome: Sendable {
        case reset
        case invalidCode
    }

    public func resetPassword(
        request: Alpha_User_V1_ResetPasswordRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_ResetPasswordResponse {
        try Caller.requireService()
        guard ValidationRules.isValidPassword(request.newPassword) else {
            throw ServiceError.badRequest("invalid new password")
        }
        guard ValidationRules.isValidCode(request.code) else { throw ServiceError.badRequest("code must be 6 digits") }
        let username = request.username
        try await limiter.countCodeAttempt(username, purpose: .passwordReset)
        let newHash = try await hasher.hash(request.newPassword)
        let now = clock.now()

        let outcome = try await repository.withAccountTransaction { transaction -> ResetOutcome in
            _ = try await transaction.lockExistingAccount(username)
            switch try await checkCode(request.code, .passwordReset, of: username, now: now, in: transaction) {
            case .wrong:
                return .invalidCode
            case .expired:
                // Useless from now on; the user has to request a new one.
                try await transaction.deleteCode(purpose: .passwordReset, for: username)
                return .invalidCode
            case .valid:
                break
            }
            try await transaction.setPasswordHash(newHash, for: username)
            try await transaction.deleteCode(purpose: .passwordReset, for: username)
            return .reset
        }
        switch outcome {
        case .reset:
            try await limiter.passwordWasReset(username)
            return Alpha_User_V1_ResetPasswordResponse()
        case .invalidCode: throw ServiceError.invalidResetCode
        }
    }
}
