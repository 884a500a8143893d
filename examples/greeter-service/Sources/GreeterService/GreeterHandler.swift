import AlphaAuth
import AlphaCore
import GRPCCore

/// `example.greeter.v1.Greeter`: greets the calling user and counts how often it has greeted them.
public struct GreeterHandler {
    /// The longest `name` a caller may ask to be called.
    public static let maxNameLength = 64

    private let store: any GreetingStore

    public init(store: any GreetingStore) {
        self.store = store
    }
}

extension GreeterHandler: Example_Greeter_V1_Greeter.SimpleServiceProtocol {
    public func greet(
        request: Example_Greeter_V1_GreetRequest,
        context: ServerContext
    ) async throws -> Example_Greeter_V1_GreetResponse {
        let username = try Caller.requireUser()
        guard request.name.count <= Self.maxNameLength else {
            throw ServiceError(.invalidArgument, code: "ERR-001", message: "name is longer than \(Self.maxNameLength)")
        }
        let timesGreeted = try await store.recordGreeting(of: username)
        return .with {
            $0.greeting = "Hello, \(request.name.isEmpty ? username : request.name)!"
            $0.timesGreeted = Int64(timesGreeted)
        }
    }
}
