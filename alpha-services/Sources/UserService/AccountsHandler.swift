import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaDomain
import Foundation
import GRPCCore

/// `alpha.user.v1.Accounts`: registration, activation, login and password reset (CONTRACT E02–E08).
///
/// Every RPC here is called by the gateway for a visitor who has no token yet, so each requires the
/// service credential. Inputs are validated again (the gateway validates first). Every flow that mails a
/// code writes the mail into the service's outbox in the same database transaction as the account change;
/// the outbox relay hands it to the notification service after the commit.
public struct AccountsHandler: Alpha_User_V1_Accounts.SimpleServiceProtocol {
    private let repository: any UserRepository
    private let hasher: PasswordHasher
    private let codes: CodeGenerator
    private let clock: any WallClock
    private let policy: AccountPolicy

    /// The abuse limits, counted in the repository (shared by every replica).
    private var limiter: AbuseLimiter {
        AbuseLimiter(counters: repository, limits: policy.abuseLimits, clock: clock)
    }

    public init(
        repository: any UserRepository,
        hasher: PasswordHasher = PasswordHasher(),
        codes: CodeGenerator = CodeGenerator(),
        clock: any WallClock = SystemWallClock(),
        policy: AccountPolicy = .standard
    ) {
        self.repository = repository
        self.hasher = hasher
        self.codes = codes
        self.clock = clock
        self.policy = policy
    }

    // MARK: - E02 register

    public func registerUser(
        request: Alpha_User_V1_RegisterUserRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_RegisterUserResponse {
        try Caller.requireService()
        guard ValidationRules.isValidUsername(request.username) else {
            throw ServiceError.badRequest("invalid username")
        }
        guard ValidationRules.isValidPassword(request.password) else {
            throw ServiceError.badRequest("invalid password")
        }
        guard ValidationRules.isValidEmail(request.email) else { throw ServiceError.badRequest("invalid e-mail") }
        // Free text is normalised here too (D34): whoever calls, nothing with markup is stored.
        let nickname = InputNormalizer.escapedFreeText(request.nickname)
        guard ValidationRules.isValidNickname(nickname) else {
            throw ServiceError.badRequest("nickname too long")
        }
        try await limiter.countCodeIssue(address: request.clientAddress)

        // Hash before the transaction: bcrypt takes tens of milliseconds and must not hold a connection.
        let uploaded = try ProfilePicture.uploaded(request.hasPicture ? request.picture : nil)
        let passwordHash = try await hasher.hash(request.password)
        let now = clock.now()
        let account = NewAccount(
            username: request.username,
            nickname: nickname,
            email: request.email,
            passwordHash: passwordHash,
            picture: uploaded ?? .defaultAvatar,
            pictureUploadID: try uploaded.map { _ in try ProfilePicture.uploadID(request.pictureUploadID) },
            createdAt: now,
            expiresAt: now.addingTimeInterval(policy.accountExpiry.timeInterval)
        )
        let code = codes.newCode()
        do {
            try await repository.withAccountTransaction { transaction in
                // The contract's single lookup: a taken username wins over a taken e-mail. A registration
                // racing this one is caught by the unique constraints in insertAccount.
                if let conflict = try await transaction.conflict(username: account.username, email: account.email) {
                    throw conflict
                }
                try await transaction.insertAccount(account)
                try await transaction.storeCode(
                    code,
                    purpose: .activation,
                    for: account.username,
                    expiresAt: now.addingTimeInterval(policy.codeLifetime.timeInterval)
                )
                try await transaction.enqueueMail(
                    AccountMail(kind: .activationCode, toAddress: account.email, username: account.username, code: code)
                )
            }
        } catch let conflict as AccountConflict {
            throw conflict.serviceError
        }
        try await limiter.noteCodeIssued(to: account.username)
        return .with {
            $0.username = account.username
            $0.nickname = account.nickname
            $0.email = account.email
            $0.picture = Alpha_User_V1_Picture(account.picture)
            $0.pictureVersion = account.pictureVersion
        }
    }

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
            guard let account = try await transaction.lockAccount(username) else {
                throw ServiceError.userNotFound(username)
            }
            guard !account.isActivated else { throw ServiceError.alreadyActivated(username) }
            guard let stored = try await transaction.code(of: username, purpose: .activation) else {
                return .wrongCode  // none issued, consumed, or invalidated by too many wrong guesses
            }
            guard stored.matches(request.code) else {
                try await transaction.recordWrongCode(
                    purpose: .activation,
                    for: username,
                    maxAttempts: policy.maxCodeAttempts
                )
                return .wrongCode
            }
            guard stored.expiresAt > now else {
                // The right code, too late: a fresh one is stored and mailed (committed), then ERR-006.
                let fresh = codes.newCode()
                try await transaction.storeCode(
                    fresh,
                    purpose: .activation,
                    for: username,
                    expiresAt: now.addingTimeInterval(policy.codeLifetime.timeInterval)
                )
                try await transaction.enqueueMail(
                    AccountMail(kind: .activationCode, toAddress: account.email, username: username, code: fresh)
                )
                return .expiredCodeReplaced
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
            guard let account = try await transaction.lockAccount(username) else {
                throw ServiceError.userNotFound(username)
            }
            guard !account.isActivated else { throw ServiceError.alreadyActivated(username) }
            let code = codes.newCode()
            try await transaction.storeCode(
                code,
                purpose: .activation,
                for: username,
                expiresAt: now.addingTimeInterval(policy.codeLifetime.timeInterval)
            )
            try await transaction.enqueueMail(
                AccountMail(kind: .activationCode, toAddress: account.email, username: username, code: code)
            )
        }
        return Alpha_User_V1_ResendActivationResponse()
    }

    // MARK: - E05 login

    public func checkCredentials(
        request: Alpha_User_V1_CheckCredentialsRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_CheckCredentialsResponse {
        try Caller.requireService()
        guard ValidationRules.isValidUsername(request.username) else {
            throw ServiceError.badRequest("invalid username")
        }
        guard ValidationRules.isValidPassword(request.password) else {
            throw ServiceError.badRequest("invalid password")
        }
        let username = request.username

        // Check order (E05, D05): user exists → activated → (D53) not throttled → password.
        guard let record = try await repository.loginRecord(of: username) else {
            throw ServiceError.userNotFound(username)
        }
        guard record.isActivated else { throw ServiceError.notActivated(username) }
        // The attempt is counted as failed before the password is checked (per user and address, per
        // address, per user), so parallel guesses cannot slip past a limit; a correct password takes it back.
        try await limiter.countLoginAttempt(username, address: request.clientAddress)
        guard try await hasher.verify(request.password, against: record.passwordHash) else {
            throw ServiceError.wrongPassword(.unauthenticated)
        }
        try await limiter.loginSucceeded(username, address: request.clientAddress)
        return .with { $0.username = username }
    }

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
            guard let account = try await transaction.lockAccount(username) else {
                throw ServiceError.userNotFound(username)
            }
            let code = codes.newCode()
            try await transaction.storeCode(
                code,
                purpose: .passwordReset,
                for: username,
                expiresAt: now.addingTimeInterval(policy.codeLifetime.timeInterval)
            )
            try await transaction.enqueueMail(
                AccountMail(kind: .passwordResetCode, toAddress: account.email, username: username, code: code)
            )
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
            guard try await transaction.lockAccount(username) != nil else { throw ServiceError.userNotFound(username) }
            guard let stored = try await transaction.code(of: username, purpose: .passwordReset) else {
                return .invalidCode
            }
            guard stored.matches(request.code) else {
                try await transaction.recordWrongCode(
                    purpose: .passwordReset,
                    for: username,
                    maxAttempts: policy.maxCodeAttempts
                )
                return .invalidCode
            }
            guard stored.expiresAt > now else {
                // Useless from now on; the user has to request a new one.
                try await transaction.deleteCode(purpose: .passwordReset, for: username)
                return .invalidCode
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

    // MARK: - CheckUser (token refresh)

    public func checkUser(
        request: Alpha_User_V1_CheckUserRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_CheckUserResponse {
        try Caller.requireService()
        guard let activated = try await repository.activationState(of: request.username) else {
            throw ServiceError(.notFound, code: ErrorCode.userNotFound.code, message: "no user \(request.username)")
        }
        return .with { $0.activated = activated }
    }
}
