import AlphaCore
import AlphaDomain

/// The catalog errors the post service throws (CONTRACT §2.2), with the gRPC kind each travels as.
extension ServiceError {
    static func badRequest(_ message: String) -> ServiceError {
        ServiceError(.invalidArgument, code: ErrorCode.badRequest.code, message: message)
    }

    static func postNotFound(_ id: String) -> ServiceError {
        ServiceError(.notFound, code: ErrorCode.postNotFound.code, message: "no post \(id)")
    }

    static func userNotFound(_ username: String) -> ServiceError {
        ServiceError(.notFound, code: ErrorCode.userNotFound.code, message: "no user \(username)")
    }

    static var deletePostForbidden: ServiceError {
        ServiceError(.permissionDenied, code: ErrorCode.deletePostForbidden.code, message: "not the author")
    }

    static var alreadyLiked: ServiceError {
        ServiceError(.alreadyExists, code: ErrorCode.alreadyLiked.code, message: "already liked")
    }

    static var notLiked: ServiceError {
        ServiceError(.failedPrecondition, code: ErrorCode.notLiked.code, message: "not liked")
    }
}
