import AlphaAuth
import AlphaCore
import GRPCCore

extension ServiceError: RPCErrorConvertible {
    /// The trailing-metadata key that carries the catalog code of a ``ServiceError``.
    public static let codeMetadataKey = "alpha-error-code"
    /// The trailing-metadata key that carries ``ServiceError/retryAfterSeconds``.
    public static let retryAfterMetadataKey = "alpha-retry-after"

    public var rpcErrorCode: RPCError.Code {
        switch kind {
        case .invalidArgument: .invalidArgument
        case .notFound: .notFound
        case .alreadyExists: .alreadyExists
        case .permissionDenied: .permissionDenied
        case .unauthenticated: .unauthenticated
        case .failedPrecondition: .failedPrecondition
        case .resourceExhausted: .resourceExhausted
        case .unavailable: .unavailable
        case .deadlineExceeded: .deadlineExceeded
        case .internal: .internalError
        }
    }

    public var rpcErrorMessage: String { message }

    public var rpcErrorMetadata: Metadata {
        var metadata: Metadata = [Self.codeMetadataKey: "\(code)"]
        if let retryAfterSeconds {
            metadata.addString("\(retryAfterSeconds)", forKey: Self.retryAfterMetadataKey)
        }
        return metadata
    }

    /// Recovers the domain error a remote service threw, or `nil` when `error` carries no catalog code
    /// (a transport failure, a deadline, a bug on the other side).
    public init?(remote error: RPCError) {
        guard let code = error.metadata[stringValues: Self.codeMetadataKey].first(where: { _ in true }) else {
            return nil
        }
        let kind: Kind =
            switch error.code {
            case .invalidArgument: .invalidArgument
            case .notFound: .notFound
            case .alreadyExists: .alreadyExists
            case .permissionDenied: .permissionDenied
            case .unauthenticated: .unauthenticated
            case .failedPrecondition: .failedPrecondition
            case .resourceExhausted: .resourceExhausted
            case .unavailable: .unavailable
            case .deadlineExceeded: .deadlineExceeded
            default: .internal
            }
        let retryAfter = error.metadata[stringValues: Self.retryAfterMetadataKey].first(where: { _ in true })
        self.init(kind, code: code, message: error.message, retryAfterSeconds: retryAfter.flatMap { Int($0) })
    }
}

extension IdentityError: RPCErrorConvertible {
    public var rpcErrorCode: RPCError.Code {
        switch self {
        case .userRequired: .unauthenticated
        case .serviceRequired: .permissionDenied
        }
    }

    public var rpcErrorMessage: String {
        switch self {
        case .userRequired: "this RPC needs a valid user token"
        case .serviceRequired: "this RPC is only for services"
        }
    }
}
