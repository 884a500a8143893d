import AlphaCore
import AlphaDomain
import GRPCCore

/// The catalog errors the image service throws (CONTRACT §2.2).
extension ServiceError {
    static func badRequest(_ message: String) -> ServiceError {
        ServiceError(.invalidArgument, code: ErrorCode.badRequest.code, message: message)
    }

    static func imageNotFound(_ what: String) -> ServiceError {
        ServiceError(.notFound, code: ErrorCode.imageNotFound.code, message: "no image \(what)")
    }
}

extension RPCError {
    /// A user acting on another user's image (not reachable through the gateway; no catalog code).
    static func notYours(_ what: String) -> RPCError {
        RPCError(code: .permissionDenied, message: "\(what) belongs to another user")
    }
}
