import AlphaTesting
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The route groups against the served OpenAPI description: a route runs the bearer check exactly when
/// its operation declares `bearerAuth` (E18 accepts a token but needs none), and every refusal is the
/// same 401 ERR-014 envelope. The upstream clients are never connected, so every request here must be
/// answered by the gateway itself: path usernames are impossible ones (404 before any call), bodies absent.
@Suite("Gateway route groups and the bearer check")
struct RouteGroupTests {
    let identity = TestIdentity()

    enum Security: Equatable {
        case none, required, optional
    }

    /// Every operation of the served description with its declared security, parameters filled in.
    static func operations(in description: [String: Any]) throws -> [(HTTPRequest.Method, String, Security)] {
        let paths = try #require(description["paths"] as? [String: [String: Any]])
        var operations: [(HTTPRequest.Method, String, Security)] = []
        for (path, methods) in paths.sorted(by: { $0.key < $1.key }) {
            let uri = path.replacingOccurrences(of: "{username}", with: String(repeating: "a", count: 40))
                .replacingOccurrences(
                    of: #"\{[A-Za-z]+Id\}"#, with: "0b6f5c1e-3c1a-4a53-9b1d-2f6a3c8d9e10", options: .regularExpression)
            for (method, operation) in methods.sorted(by: { $0.key < $1.key }) {
                guard let method = HTTPRequest.Method(method.uppercased()), let operation = operation as? [String: Any]
                else { continue }
                let schemes = (operation["security"] as? [[String: Any]])?.map { Set($0.keys) } ?? []
                let security: Security =
                    if schemes.isEmpty { .none } else if schemes.contains([]) { .optional } else { .required }
                operations.append((method, uri, security))
            }
        }
        return operations
    }

    @Test("a route asks for a token exactly when its OpenAPI operation declares bearerAuth; refusals are identical")
    func groupsFollowTheDescription() async throws {
        let dependencies = try GatewayDependencies.offline(configuration: GatewayConfiguration(), identity: identity)
        try await Application(router: GatewayApplication.makeRouter(dependencies: dependencies)).test(.router) {
            client in
            let description = try await client.send(.get, "/api/openapi.json") { try json($0) }
            let operations = try Self.operations(in: description)
            #expect(operations.count >= 29)
            #expect(operations.contains { $0.1 == "/api/feed" && $0.2 == .optional })
            let refusal = try await client.send(.get, "/api/notifications") { Data(buffer: $0.body) }
            for (method, uri, security) in operations {
                // No header: only the signed-in groups refuse, with the same body as for a bad token. (The
                // anonymous feed would call the post service.)
                if security != .optional {
                    try await client.send(method, uri) { response in
                        if security == .required {
                            try expectError(response, status: 401, code: "ERR-014")
                            #expect(Data(buffer: response.body) == refusal, "\(method) \(uri)")
                        } else {
                            #expect(response.status != .unauthorized, "\(method) \(uri) needs no token")
                        }
                    }
                }
                // A bad header: refused wherever a token is read; the public groups never read it.
                try await client.send(method, uri, authorization: "Bearer garbage") { response in
                    if security == .none {
                        #expect(response.status != .unauthorized, "\(method) \(uri) ignores the header")
                    } else {
                        try expectError(response, status: 401, code: "ERR-014")
                        #expect(Data(buffer: response.body) == refusal, "\(method) \(uri)")
                    }
                }
            }
        }
    }
}
