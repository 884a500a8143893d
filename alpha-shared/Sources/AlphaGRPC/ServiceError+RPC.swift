import AlphaAuth
import AlphaCore
import GRPCCore

extension ServiceError: RPCErrorConvertible {
    /// The trailing-metadata key that carries the catalog code of a ``ServiceError``.
    public static let codeMetadataKey = "alpha-error-code"
    /// The trailing-metadata key that carries ``ServiceError/retryAfterSeconds``.
    public static let retryAfterMetadataKey = "alpha-retry-after"

    /// The one table between error kinds and gRPC status codes; both directions are read from it.
    static let statusCodes: [(kind: Kind, code: RPCError.Code)] = [
        (.invalidArgument, .invalidArgument),
        (.notFound, .notFound),
        (.alreadyExists, .alreadyExists),
        (.permissionDenied, .permissionDenied),
        (.unauthenticated, .unauthenticated),
        (.failedPrecondition, .failedPrecondition),
        (.resourceExhausted, .resourceExhausted),
        (.unavailable, .unavailable),
        (.deadlineExceeded, .deadlineExceeded),
        (.internal, .internalError),
    ]

    /// The kind a status code stands for (`internal` for codes without a kind of their own).
    static func kind(for code: RPCError.Code) -> Kind {
        statusCodes.first { $0.code == code }?.kind ?? .internal
    }

    /// The gRPC status code of ``kind`` on the wire.
    public var rpcErrorCode: RPCError.Code {
        Self.statusCodes.first { $0.kind == kind }?.code ?? .internalError
    }

    /// The status message: ``message``.
    public var rpcErrorMessage: String { message }

    /// Trailing metadata carrying the catalog code and, for rate limits, the seconds until a retry.
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
        let kind = Self.kind(for: error.code)
        let retryAfter = error.metadata[stringValues: Self.retryAfterMetadataKey].first(where: { _ in true })
        self.init(kind, code: code, message: error.message, retryAfterSeconds: retryAfter.flatMap { Int($0) })
    }
}

extension IdentityError: RPCErrorConvertible {
    /// `unauthenticated` when a user token is missing, `permissionDenied` when a service credential is.
    public var rpcErrorCode: RPCError.Code {
        switch self {
        case .userRequired: .unauthenticated
        case .serviceRequired: .permissionDenied
        }
    }

    /// What the caller lacks.
    public var rpcErrorMessage: String {
        switch self {
        case .userRequired: "this RPC needs a valid user token"
        case .serviceRequired: "this RPC is only for services"
        }
    }
}
