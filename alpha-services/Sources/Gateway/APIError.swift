import AlphaDomain
import Hummingbird

/// An error answered with the contract's envelope: a catalog code, and the status to send (the catalog's
/// unless an endpoint sends another, as login does with ERR-008 → 401).
public struct APIError: Error, Sendable, Equatable {
    public var code: ErrorCode
    public var status: Int

    public init(_ code: ErrorCode, status: Int? = nil) {
        self.code = code
        self.status = status ?? code.httpStatus
    }

    /// The envelope body.
    public var envelope: ErrorEnvelope { ErrorEnvelope(code, httpStatus: status) }
}
