import AlphaCore
import AlphaDomain
import AlphaGRPC
import GRPCCore
import Testing

/// Expects `body` to fail with the catalog `code` (and, when given, the gRPC status `status`).
func expectError<T>(
    _ code: ErrorCode,
    status: RPCError.Code? = nil,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> T
) async {
    do {
        _ = try await body()
        Issue.record("expected \(code.code) but the call succeeded", sourceLocation: sourceLocation)
    } catch let error as RPCError {
        let remote = ServiceError(remote: error)
        #expect(remote?.code == code.code, "got \(error.code): \(error.message)", sourceLocation: sourceLocation)
        if let status {
            #expect(error.code == status, sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("expected \(code.code), got \(String(reflecting: error))", sourceLocation: sourceLocation)
    }
}

/// Expects `body` to fail with gRPC status `status` and no catalog code (identity refusals, internal errors).
func expectStatus<T>(
    _ status: RPCError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> T
) async {
    do {
        _ = try await body()
        Issue.record("expected \(status) but the call succeeded", sourceLocation: sourceLocation)
    } catch let error as RPCError {
        #expect(error.code == status, "got \(error.code): \(error.message)", sourceLocation: sourceLocation)
        #expect(ServiceError(remote: error) == nil, "unexpected catalog code", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(status), got \(String(reflecting: error))", sourceLocation: sourceLocation)
    }
}

/// Makes `count` attempts at once (`attempt` gets the attempt's index) and answers how each ended: `"ok"`,
/// the catalog code of the service error (`"ERR-002"`), the gRPC status of another RPC failure, or the
/// description of any other error — in the order they ended.
func concurrentOutcomes(_ count: Int, _ attempt: @escaping @Sendable (Int) async throws -> Void) async -> [String] {
    await withTaskGroup(of: String.self) { group in
        for index in 0..<count {
            group.addTask {
                do {
                    try await attempt(index)
                    return "ok"
                } catch let error as RPCError {
                    return ServiceError(remote: error)?.code ?? "\(error.code)"
                } catch {
                    return String(reflecting: error)
                }
            }
        }
        return await group.reduce(into: [String]()) { $0.append($1) }
    }
}
