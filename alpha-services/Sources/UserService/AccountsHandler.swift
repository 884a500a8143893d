import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaDomain
import GRPCCore

/// `alpha.user.v1.Accounts`: registration, activation, login and password reset.
///
/// Every RPC here is called by the gateway for a visitor who has no token yet, so each requires the
/// service credential. This first version answers `CheckUser`; the account flows are not built yet and
/// answer `unimplemented`.
public struct AccountsHandler: Alpha_User_V1_Accounts.SimpleServiceProtocol {
    private let repository: any UserRepository

    public init(repository: any UserRepository) {
        self.repository = repository
    }

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

    public func registerUser(
        request: Alpha_User_V1_RegisterUserRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_RegisterUserResponse { throw Self.notBuiltYet }

    public func activateUser(
        request: Alpha_User_V1_ActivateUserRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_ActivateUserResponse { throw Self.notBuiltYet }

    public func resendActivation(
        request: Alpha_User_V1_ResendActivationRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_ResendActivationResponse { throw Self.notBuiltYet }

    public func checkCredentials(
        request: Alpha_User_V1_CheckCredentialsRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_CheckCredentialsResponse { throw Self.notBuiltYet }

    public func requestPasswordReset(
        request: Alpha_User_V1_RequestPasswordResetRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_RequestPasswordResetResponse { throw Self.notBuiltYet }

    public func resetPassword(
        request: Alpha_User_V1_ResetPasswordRequest,
        context: ServerContext
    ) async throws -> Alpha_User_V1_ResetPasswordResponse { throw Self.notBuiltYet }

    private static let notBuiltYet = RPCError(code: .unimplemented, message: "not built yet")
}
