import AlphaCore
import AlphaGRPC
import GRPCCore

/// How `body` ended: `"ok"`, the catalog code of a service error (`"ERR-020"`), or the gRPC status of any
/// other RPC failure (`"unauthenticated"`).
func outcome<T>(_ body: () async throws -> T) async -> String {
    do {
        _ = try await body()
        return "ok"
    } catch let error as RPCError {
        return ServiceError(remote: error)?.code ?? "\(error.code)"
    } catch {
        return String(reflecting: error)
    }
}
