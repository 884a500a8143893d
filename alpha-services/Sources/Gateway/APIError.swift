import AlphaDomain
import Hummingbird

/// An error answered with the contract's envelope: a catalog code, and the status to send (the catalog's
/// unless an endpoint sends another, as login does with ERR-008 → 401).
public struct APIError: Error, Sendable, Equatable {
    public var code: ErrorCode
    public var status: Int
    /// Seconds for the `Retry-After` header (rate limits, 429).
    public var retryAfterSeconds: Int?

    public init(_ code: ErrorCode, status: Int? = nil, retryAfterSeconds: Int? = nil) {
        self.code = code
        self.status = status ?? code.httpStatus
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The envelope body.
    public var envelope: ErrorEnvelope { ErrorEnvelope(code, httpStatus: status) }
}
