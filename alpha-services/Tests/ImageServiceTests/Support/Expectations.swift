import AlphaCore
import AlphaGRPC
import GRPCCore

/// How an RPC ended: its gRPC status and, for a service's typed error, the catalog code.
struct Outcome: Equatable, CustomStringConvertible {
    var status: RPCError.Code?
    var code: String?

    static let ok = Outcome(status: nil, code: nil)
    static func catalog(_ code: String) -> Outcome { Outcome(status: nil, code: code) }
    static func status(_ status: RPCError.Code) -> Outcome { Outcome(status: status, code: nil) }

    var description: String { code ?? status.map { "\($0)" } ?? "ok" }

    /// Runs `body` and reports how it ended (a catalog error compares by code only).
    static func of<T>(_ body: () async throws -> T) async -> Outcome {
        do {
            _ = try await body()
            return .ok
        } catch let error as RPCError {
            if let remote = ServiceError(remote: error) { return .catalog(remote.code) }
            return .status(error.code)
        } catch {
            return .status(.unknown)
        }
    }
}
