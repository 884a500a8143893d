import AlphaCore
import AlphaDomain
import AlphaGRPC
import GRPCCore
import Logging

/// Runs one upstream RPC and turns its failure into the contract's error, in one place.
///
/// - A service's typed error carries a catalog code: answered with that code, at the catalog's status
///   or the endpoint's override (`ERR-008` is 401 at login, 403 at password change), with `Retry-After`
///   when the service sent one (rate limits).
/// - An upstream that is down, or whose own dependency (its database) is down — `unavailable`, with or
///   without a catalog code — answers 503 ERR-009; a deadline or anything else 500 ERR-009 (D42).
///
/// The caller's token, when given, is forwarded so the service can verify the user itself.
func upstream<Result: Sendable>(
    token: String? = nil,
    statusOverrides: [ErrorCode: Int] = [:],
    logger: Logger,
    _ call: () async throws -> Result
) async throws -> Result {
    do {
        return try await ForwardedUserToken.$current.withValue(token) {
            try await call()
        }
    } catch let error as RPCError {
        throw apiError(for: error, statusOverrides: statusOverrides, logger: logger)
    }
}

func apiError(for error: RPCError, statusOverrides: [ErrorCode: Int], logger: Logger) -> APIError {
    if let remote = ServiceError(remote: error), let code = ErrorCode(rawValue: remote.code) {
        return APIError(
            code,
            status: remote.kind == .unavailable ? 503 : statusOverrides[code],
            retryAfterSeconds: remote.retryAfterSeconds
        )
    }
    logger.error("upstream call failed", metadata: ["code": "\(error.code)", "message": "\(error.message)"])
    return error.code == .unavailable ? APIError(.internalServerError, status: 503) : APIError(.internalServerError)
}
