import AlphaCore
import AlphaGRPC
import GRPCCore

/// How an RPC failed: its gRPC status and the catalog code it carried, if any.
struct RPCFailure: Equatable {
    var status: RPCError.Code
    var code: String?
}

/// The failure of `body`, or `nil` when it succeeded (errors other than `RPCError` count as `unknown`).
func failure<T>(of body: () async throws -> T) async -> RPCFailure? {
    do {
        _ = try await body()
        return nil
    } catch let error as RPCError {
        return RPCFailure(status: error.code, code: ServiceError(remote: error)?.code)
    } catch {
        return RPCFailure(status: .unknown, code: nil)
    }
}
