import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaDomain
import Foundation
import GRPCCore

/// E02: registration, with the activation code mailed in the same transaction.
extension AccountsHandler {
    // MARK: - E02 register

    public func registerUser(
        request: Alpha_User_V1_RegisterUserRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_RegisterUserResponse {
        try Caller.requireService()
        try validateCredentials(username: request.username, password: request.password)
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
        do {
            try await repository.withAccountTransaction { transaction in
                // The contract's single lookup: a taken username wins over a taken e-mail. A registration
                // racing this one is caught by the unique constraints in insertAccount.
                if let conflict = try await transaction.conflict(username: account.username, email: account.email) {
                    throw conflict
                }
                try await transaction.insertAccount(account)
                try await issueCode(
                    .activation, for: account.username, mailTo: account.email, now: now, in: transaction)
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
}
