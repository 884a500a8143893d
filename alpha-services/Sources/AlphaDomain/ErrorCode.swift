/// The error catalog of the REST contract (ERR-000…ERR-028; docs/api.md lists it) plus the project's
/// `ERR-029 TooManyRequests` (429, for the abuse limits).
///
/// The raw value is the wire code (`"ERR-004"`). `title`, `message` and `httpStatus` are the
/// catalog values verbatim; the message is what clients see in `error.message`.
/// Use ``ErrorEnvelope`` to build the response body.
public enum ErrorCode: String, Sendable, CaseIterable, Codable {
    case endpointNotFound = "ERR-000"
    case badRequest = "ERR-001"
    case usernameTaken = "ERR-002"
    case emailTaken = "ERR-003"
    case userNotFound = "ERR-004"
    case userNotActivated = "ERR-005"
    case activationTokenExpired = "ERR-006"
    case invalidToken = "ERR-007"
    case invalidCredentials = "ERR-008"
    case internalServerError = "ERR-009"
    case databaseError = "ERR-010"
    case emailUnreachable = "ERR-011"
    case emailNotSent = "ERR-012"
    case userAlreadyActivated = "ERR-013"
    case unauthorized = "ERR-014"
    case subscriptionNotFound = "ERR-015"
    case subscriptionAlreadyExists = "ERR-016"
    case subscriptionSelfFollow = "ERR-017"
    case unsubscribeForbidden = "ERR-018"
    case deletePostForbidden = "ERR-019"
    case postNotFound = "ERR-020"
    case alreadyLiked = "ERR-021"
    case notLiked = "ERR-022"
    case notificationNotFound = "ERR-023"
    case deleteNotificationForbidden = "ERR-024"
    case passwordResetTokenInvalid = "ERR-025"
    case chatAlreadyExists = "ERR-026"
    case chatNotFound = "ERR-027"
    case imageNotFound = "ERR-028"
    case tooManyRequests = "ERR-029"

    /// The wire code, e.g. `"ERR-004"` (same as `rawValue`).
    public var code: String { rawValue }

    /// The catalog title in PascalCase, e.g. `"UserNotFound"`.
    public var title: String { entry.title }

    /// The catalog message, verbatim.
    public var message: String { entry.message }

    /// The catalog HTTP status. Some endpoints send a different status for the same code
    /// (ERR-008: 401 at login, 403 at change-password); pass it to ``ErrorEnvelope/init(_:httpStatus:)``.
    public var httpStatus: Int { entry.httpStatus }

    private typealias Entry = (title: String, message: String, httpStatus: Int)

    /// Exhaustive switch: adding a case without a catalog entry does not compile.
    private var entry: Entry {
        switch self {
        case .endpointNotFound:
            ("EndpointNotFound", "The endpoint was not found. Please check the endpoint and try again.", 404)
        case .badRequest:
            ("BadRequest", "The request body is invalid. Please check the request body and try again.", 400)
        case .usernameTaken: ("UsernameTaken", "The username is already taken. Please try another username.", 409)
        case .emailTaken: ("EmailTaken", "The email is already taken. Please try another email.", 409)
        case .userNotFound: ("UserNotFound", "The user was not found. Please check the username and try again.", 404)
        case .userNotActivated:
            ("UserNotActivated", "The user is not activated. Please activate the user and try again.", 403)
        case .activationTokenExpired:
            (
                "ActivationTokenExpired",
                "The token has expired. Please check your mail for a new token and try again.", 401
            )
        case .invalidToken: ("InvalidToken", "The token is invalid. Please check the token and try again.", 401)
        case .invalidCredentials:
            ("InvalidCredentials", "The credentials are invalid. Please check the credentials and try again.", 403)
        case .internalServerError:
            ("InternalServerError", "An internal server error occurred. Please try again later.", 500)
        case .databaseError: ("DatabaseError", "A database error occurred. Please try again later.", 500)
        case .emailUnreachable:
            ("EmailUnreachable", "The email is unreachable. Please check the email and try again.", 400)
        case .emailNotSent: ("EmailNotSent", "The email could not be sent. Please try again later.", 500)
        case .userAlreadyActivated:
            ("UserAlreadyActivated", "The user is already activated. Please login to your account.", 208)
        case .unauthorized: ("Unauthorized", "The request is unauthorized. Please login to your account.", 401)
        case .subscriptionNotFound:
            ("SubscriptionNotFound", "The subscription was not found. Please check the username and try again.", 404)
        case .subscriptionAlreadyExists:
            (
                "SubscriptionAlreadyExists",
                "The subscription already exists. Please check the username and try again.", 409
            )
        case .subscriptionSelfFollow:
            ("SubscriptionSelfFollow", "You cannot follow yourself. Please check the username and try again.", 406)
        case .unsubscribeForbidden: ("UnsubscribeForbidden", "You can only delete your own subscriptions.", 403)
        case .deletePostForbidden: ("DeletePostForbidden", "You can only delete your own posts.", 403)
        case .postNotFound: ("PostNotFound", "The post was not found. Please check the post ID and try again.", 404)
        case .alreadyLiked: ("AlreadyLiked", "You have already liked this post.", 409)
        case .notLiked: ("NotLiked", "You can't unlike a post you haven't liked.", 409)
        case .notificationNotFound:
            (
                "NotificationNotFound",
                "The notification was not found. Please check the notification ID and try again.", 404
            )
        case .deleteNotificationForbidden:
            ("DeleteNotificationForbidden", "You can only delete your own notifications.", 403)
        case .passwordResetTokenInvalid:
            (
                "PasswordResetTokenInvalid",
                "The password reset token is invalid or has expired. Please request a new token and try again.", 403
            )
        case .chatAlreadyExists:
            ("ChatAlreadyExists", "The chat already exists. Please check the username and try again.", 409)
        case .chatNotFound: ("ChatNotFound", "The chat was not found. Please check the chat ID and try again.", 404)
        case .imageNotFound:
            ("ImageNotFound", "The image was not found. Please check the image URL and try again.", 404)
        case .tooManyRequests: ("TooManyRequests", "Too many requests. Please try again later.", 429)
        }
    }
}
