import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaDomain
import Foundation
import GRPCCore

/// E05 login, and the check behind a token refresh.
extension AccountsHandler {
    // MARK: - E05 login

    public func checkCredentials(
        request: Alpha_User_V1_CheckCredentialsRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_CheckCredentialsResponse {
        try Caller.requireService()
        try validateCredentials(username: request.username, password: request.password)
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
