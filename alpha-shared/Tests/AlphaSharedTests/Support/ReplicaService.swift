import GRPCCore
import Synchronization

/// A service that answers with the name of the server it runs on, counting its calls, and that can be
/// told to fail every call with `unavailable` (a replica whose dependency is down).
final class ReplicaService: RegistrableRPCService, Sendable {
    static let serviceName = "alpha.test.Replica"

    enum Method {
        /// A read: listed as idempotent in the tests.
        static let name = MethodDescriptor(fullyQualifiedService: ReplicaService.serviceName, method: "Name")
        /// The same answer, but not listed as idempotent (a write, as far as the client knows).
        static let write = MethodDescriptor(fullyQualifiedService: ReplicaService.serviceName, method: "Write")
    }

    let name: String
    private let state = Mutex((calls: 0, failing: false))

    init(name: String) {
        self.name = name
    }

    /// Calls that reached this replica's handlers so far.
    var calls: Int { state.withLock { $0.calls } }

    /// Makes every later call fail with `unavailable` (or answer again).
    func setFailing(_ failing: Bool) {
        state.withLock { $0.failing = failing }
    }

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        for method in [Method.name, Method.write] {
            router.registerHandler(forMethod: method, deserializer: StringCoder(), serializer: StringCoder()) {
                request, _ in
                for try await _ in request.messages {}
                let failing = self.state.withLock { state in
                    state.calls += 1
                    return state.failing
                }
                if failing { throw RPCError(code: .unavailable, message: "\(self.name) is failing") }
                return StreamingServerResponse(single: ServerResponse(message: self.name))
            }
        }
    }
}
