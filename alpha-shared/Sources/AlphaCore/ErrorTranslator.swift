/// Turns an error of a dependency's library (a database driver's connection failure, say) into the
/// ``ServiceError`` callers should see; `nil` for errors it does not know.
///
/// Kit modules register translators with their gates in the process's ``Dependencies``
/// (``ProcessAssembly/dependencies``);
/// the gRPC server's error mapping asks them before answering `internal`, so every service gets the same
/// answer for the same failure without handling it itself.
public struct ErrorTranslator: Sendable {
    /// The translation; `nil` when the error is not one this translator knows.
    public let translate: @Sendable (any Error) -> ServiceError?

    /// A translator from a closure that answers `nil` for errors it does not know.
    public init(_ translate: @escaping @Sendable (any Error) -> ServiceError?) {
        self.translate = translate
    }
}

extension ServiceError {
    /// The catalog code of the kit's own `unavailable` and `deadlineExceeded` errors (Alpha's catalog:
    /// `ERR-009`, which the gateway answers as 503 for `unavailable`).
    public static let dependencyFailureCode = "ERR-009"

    /// A dependency (`postgres`) cannot serve right now; callers may retry later.
    public static func unavailable(_ dependency: String) -> ServiceError {
        ServiceError(.unavailable, code: dependencyFailureCode, message: "\(dependency) is unavailable")
    }
}
