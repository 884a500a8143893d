import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaDomain
import Foundation
import GRPCCore

/// E03, E04: activation with the mailed code, and a new code on request.
extension AccountsHandler {
    // MARK: - E03 activate

    /// What an activation attempt did; errors that must not roll back the attempt's bookkeeping are
    /// thrown after the commit.
    private enum ActivationOutcome: Sendable {
        case activated
        case wrongCode
        case expiredCodeReplaced
    }

    public func activateUser(
        request: Alpha_User_V1_ActivateUserRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_ActivateUserResponse {
        try Caller.requireService()
        guard ValidationRules.isValidCode(request.code) else { throw ServiceError.badRequest("code must be 6 digits") }
        let username = request.username
        try await limiter.countCodeAttempt(username, purpose: .activation)
        let now = clock.now()

        // Processing order (E03): user exists → not yet activated → code matches → code not expired.
        let outcome = try await repository.withAccountTransaction { transaction -> ActivationOutcome in
            let account = try await transaction.lockExistingAccount(username)
            guard !account.isActivated else { throw ServiceError.alreadyActivated(username) }
            switch try await checkCode(request.code, .activation, of: username, now: now, in: transaction) {
            case .wrong:
                return .wrongCode
            case .expired:
                // The right code, too late: a fresh one is stored and mailed (committed), then ERR-006.
                try await issueCode(.activation, for: username, mailTo: account.email, now: now, in: transaction)
                return .expiredCodeReplaced
            case .valid:
                break
            }
            try await transaction.markActivated(username, at: now)
            try await transaction.deleteCode(purpose: .activation, for: username)
            try await transaction.enqueueMail(AccountMail(kind: .welcome, toAddress: account.email, username: username))
            return .activated
        }
        switch outcome {
        case .activated: return .with { $0.username = username }
        case .wrongCode: throw ServiceError.invalidActivationCode
        case .expiredCodeReplaced: throw ServiceError.expiredActivationCode
        }
    }

    // MARK: - E04 resend activation code

    public func resendActivation(
        request: Alpha_User_V1_ResendActivationRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_ResendActivationResponse {
        try Caller.requireService()
        let username = request.username
        try await limiter.countCodeIssue(username, address: request.clientAddress)
        let now = clock.now()
        try await repository.withAccountTransaction { transaction in
            let account = try await transaction.lockExistingAccount(username)
            guard !account.isActivated else { throw ServiceError.alreadyActivated(username) }
            try await issueCode(.activation, for: username, mailTo: account.email, now: now, in: transaction)
        }
        return Alpha_User_V1_ResendActivationResponse()
    }
}
