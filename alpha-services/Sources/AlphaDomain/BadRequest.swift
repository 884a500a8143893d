/// A request that answers `400 ERR-001` (malformed body, wrong JSON types, rule violation).
///
/// `reason` is for logs only; clients always get the catalog message of ``ErrorCode/badRequest``.
public struct BadRequest: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why the request was rejected (log text, never sent to the client).
    public let reason: String

    /// Creates a bad-request error with a log reason.
    public init(_ reason: String) {
        self.reason = reason
    }

    /// Always ``ErrorCode/badRequest``.
    public var code: ErrorCode { .badRequest }

    /// The response body: `400 ERR-001`.
    public var envelope: ErrorEnvelope { ErrorEnvelope(.badRequest) }

    /// `"bad request: <reason>"`.
    public var description: String { "bad request: \(reason)" }

    /// Throws `BadRequest(reason)` unless `condition` holds, e.g.
    /// `try BadRequest.check(ValidationRules.isValidUsername(name), "username")`.
    public static func check(_ condition: Bool, _ reason: @autoclosure () -> String) throws(BadRequest) {
        if !condition { throw BadRequest(reason()) }
    }
}
