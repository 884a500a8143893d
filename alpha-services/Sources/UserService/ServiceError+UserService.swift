import AlphaCore
import AlphaDomain

/// The catalog errors the user service throws (CONTRACT §2.2), with the gRPC kind each travels as.
/// The gateway answers by the code; the kind only has to be a sensible status for other callers.
extension ServiceError {
    static func badRequest(_ message: String) -> ServiceError {
        ServiceError(.invalidArgument, code: ErrorCode.badRequest.code, message: message)
    }

    static func userNotFound(_ username: String) -> ServiceError {
        ServiceError(.notFound, code: ErrorCode.userNotFound.code, message: "no user \(username)")
    }

    static func alreadyActivated(_ username: String) -> ServiceError {
        ServiceError(
            .failedPrecondition, code: ErrorCode.userAlreadyActivated.code, message: "\(username) is already activated")
    }

    static func notActivated(_ username: String) -> ServiceError {
        ServiceError(.permissionDenied, code: ErrorCode.userNotActivated.code, message: "\(username) is not activated")
    }

    static var invalidActivationCode: ServiceError {
        ServiceError(.unauthenticated, code: ErrorCode.invalidToken.code, message: "activation code does not match")
    }

    static var expiredActivationCode: ServiceError {
        ServiceError(
            .unauthenticated,
            code: ErrorCode.activationTokenExpired.code,
            message: "activation code expired; a new one was mailed"
        )
    }

    static var invalidResetCode: ServiceError {
        ServiceError(
            .permissionDenied,
            code: ErrorCode.passwordResetTokenInvalid.code,
            message: "reset code wrong, expired or absent"
        )
    }

    static func wrongPassword(_ kind: Kind) -> ServiceError {
        ServiceError(kind, code: ErrorCode.invalidCredentials.code, message: "wrong password")
    }

    static var invalidRefreshToken: ServiceError {
        ServiceError(.unauthenticated, code: ErrorCode.invalidToken.code, message: "refresh token not alive")
    }

    static func tooManyRequests(_ limit: String, retryAfterSeconds: Int) -> ServiceError {
        ServiceError(
            .resourceExhausted,
            code: ErrorCode.tooManyRequests.code,
            message: "limit \(limit) reached",
            retryAfterSeconds: retryAfterSeconds
        )
    }

    static func subscriptionNotFound(_ id: String) -> ServiceError {
        ServiceError(.notFound, code: ErrorCode.subscriptionNotFound.code, message: "no subscription \(id)")
    }
}

extension AccountConflict {
    /// ERR-002 for a taken username, ERR-003 for a taken e-mail.
    var serviceError: ServiceError {
        switch self {
        case .username:
            ServiceError(.alreadyExists, code: ErrorCode.usernameTaken.code, message: "username taken")
        case .email:
            ServiceError(.alreadyExists, code: ErrorCode.emailTaken.code, message: "e-mail taken")
        }
    }
}
