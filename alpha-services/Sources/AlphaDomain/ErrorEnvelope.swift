import Foundation

/// The JSON body of every error response (CONTRACT §2.1):
/// `{"error":{"title":…,"code":…,"message":…,"http_status":…}}` — exactly these four keys.
///
/// `error.http_status` must equal the status line actually sent; build the envelope with the
/// status you send and answer with ``httpStatus``. Values are immutable (no shared mutable
/// error objects, D51).
public struct ErrorEnvelope: Encodable, Sendable, Equatable {
    /// The inner `error` object.
    public struct Body: Encodable, Sendable, Equatable {
        /// Catalog title, e.g. `"UserNotFound"`.
        public let title: String
        /// Catalog code, e.g. `.userNotFound` (encoded as `"ERR-004"`).
        public let code: ErrorCode
        /// Catalog message, verbatim.
        public let message: String
        /// The HTTP status sent with this body (encoded as `http_status`).
        public let httpStatus: Int

        private enum CodingKeys: String, CodingKey {
            case title, code, message
            case httpStatus = "http_status"
        }
    }

    /// The `error` object.
    public let error: Body

    /// Creates the envelope for `code`, using the catalog status unless `httpStatus` overrides it.
    public init(_ code: ErrorCode, httpStatus: Int? = nil) {
        error = Body(
            title: code.title, code: code, message: code.message,
            httpStatus: httpStatus ?? code.httpStatus)
    }

    /// The HTTP status to send with this body (equals `error.http_status`).
    public var httpStatus: Int { error.httpStatus }

    /// The error code of this body.
    public var code: ErrorCode { error.code }

    /// ERR-008 as sent by login (E05): HTTP 401.
    public static let invalidCredentialsAtLogin = ErrorEnvelope(.invalidCredentials, httpStatus: 401)

    /// ERR-008 as sent by change-password (E11): HTTP 403 (the catalog status).
    public static let invalidCredentialsAtPasswordChange = ErrorEnvelope(.invalidCredentials, httpStatus: 403)

    /// The encoded body (keys sorted, UTF-8 JSON).
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding four strings/ints cannot fail; the fallback keeps the signature non-throwing.
        return (try? encoder.encode(self)) ?? Data(#"{"error":{}}"#.utf8)
    }
}
