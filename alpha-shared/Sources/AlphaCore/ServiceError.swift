/// A typed domain error carrying a catalog code (for example `ERR-004`).
///
/// Services throw it from handlers; the kit's gRPC layer turns it into a status with the code attached,
/// and callers turn it back into a `ServiceError` with the same code. The kit does not know what the
/// codes mean: the catalog belongs to the application.
///
/// ```swift
/// throw ServiceError(.notFound, code: "ERR-004", message: "user alice not found")
/// ```
public struct ServiceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The class of failure; decides the gRPC status code on the wire.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case invalidArgument
        case notFound
        case alreadyExists
        case permissionDenied
        case unauthenticated
        case failedPrecondition
        case resourceExhausted
        case unavailable
        case deadlineExceeded
        case `internal`
    }

    /// The class of failure.
    public var kind: Kind
    /// The catalog code, for example `ERR-004`.
    public var code: String
    /// A short message for logs and developers; never shown to end users by the gateway.
    public var message: String
    /// For a rate limit (`resourceExhausted`): whole seconds until a retry may succeed (HTTP `Retry-After`).
    public var retryAfterSeconds: Int?

    /// Creates an error of `kind` with a catalog `code`.
    public init(_ kind: Kind, code: String, message: String = "", retryAfterSeconds: Int? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// `kind code: message`, for logs.
    public var description: String {
        message.isEmpty ? "\(kind) \(code)" : "\(kind) \(code): \(message)"
    }
}
