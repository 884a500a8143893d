import AlphaCore
import AlphaDomain

/// The catalog errors the notification service throws (CONTRACT §2.2, §4.8).
extension ServiceError {
    static func badRequest(_ message: String) -> ServiceError {
        ServiceError(.invalidArgument, code: ErrorCode.badRequest.code, message: message)
    }

    /// E27: unknown or malformed id (D11).
    static func notificationNotFound(_ id: String) -> ServiceError {
        ServiceError(.notFound, code: ErrorCode.notificationNotFound.code, message: "no notification \(id)")
    }

    /// E27: someone else's notification (D10).
    static func deleteNotificationForbidden(_ id: String) -> ServiceError {
        ServiceError(
            .permissionDenied, code: ErrorCode.deleteNotificationForbidden.code,
            message: "notification \(id) is addressed to someone else")
    }
}
