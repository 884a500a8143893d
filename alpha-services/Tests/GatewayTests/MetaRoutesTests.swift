import AlphaAuth
import AlphaDomain
import AlphaGRPC
import AlphaTesting
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite("Gateway meta routes, unknown routes and cross-cutting headers")
struct MetaRoutesTests {
    func withApp(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        // These routes never call upstream: the clients point at a port nothing listens on.
        let dependencies = try GatewayDependencies.offline(
            configuration: GatewayConfiguration(imprintText: "Impressum\nTest"))
        let app = Application(router: GatewayApplication.makeRouter(dependencies: dependencies))
        try await app.test(.router, body)
    }

    @Test("GET /api/imprint answers 200 with exactly the text key")
    func imprint() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/imprint", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                let json = try #require(
                    try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                )
                #expect(Set(json.keys) == ["text"])
                #expect(json["text"] as? String == "Impressum\nTest")
            }
        }
    }

    @Test("an unknown route answers 404 with the ERR-000 envelope")
    func unknownRoute() async throws {
        try await withApp { client in
            for (uri, method) in [("/api/nope", HTTPRequest.Method.get), ("/", .get), ("/api/imprint", .delete)] {
                try await client.execute(uri: uri, method: method) { response in
                    #expect(response.status == .notFound)
                    let json = try #require(
                        try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                    )
                    let error = try #require(json["error"] as? [String: Any])
                    #expect(Set(json.keys) == ["error"])
                    #expect(error["code"] as? String == "ERR-000")
                    #expect(error["title"] as? String == "EndpointNotFound")
                    #expect(error["message"] as? String == ErrorCode.endpointNotFound.message)
                    #expect(error["http_status"] as? Int == 404)
                }
            }
        }
    }

    @Test("a trailing slash redirects to the path without it: 301 for GET, 307 otherwise, query kept")
    func trailingSlash() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/imprint/?x=1", method: .get) { response in
                #expect(response.status == .movedPermanently)
                #expect(response.headers[.location] == "/api/imprint?x=1")
            }
            try await client.execute(uri: "/api/users/", method: .post) { response in
                #expect(response.status == .temporaryRedirect)
                #expect(response.headers[.location] == "/api/users")
            }
        }
    }

    @Test("a trailing-slash redirect never leaves the host: //evil.example/ → /evil.example (no open redirect)")
    func noOpenRedirect() async throws {
        let dependencies = try GatewayDependencies.offline(configuration: GatewayConfiguration())
        let app = Application(router: GatewayApplication.makeRouter(dependencies: dependencies))
        // Over real HTTP, so the request target is parsed as a server parses it.
        try await app.test(.live) { client in
            for (uri, location) in [
                ("//evil.example/", "/evil.example"), ("///evil.example//", "/evil.example"),
                ("//evil.example/?a=b", "/evil.example?a=b"),
                ("//", "/"),
            ] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .movedPermanently, "\(uri)")
                    #expect(response.headers[.location] == location, "\(uri)")
                }
            }
        }
        // A backslash (which browsers read as a slash) does not sneak one in either.
        try await app.test(.router) { client in
            try await client.execute(uri: "/\\/evil.example/", method: .get) { response in
                #expect(response.headers[.location] == "/evil.example")
            }
        }
    }

    @Test("every response carries X-Correlation-ID, echoing a sane incoming one")
    func correlationID() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/imprint", method: .get) { response in
                let id = try #require(response.headers[HTTPField.Name("X-Correlation-ID")!])
                #expect(UUID(uuidString: id) != nil)
            }
            try await client.execute(
                uri: "/api/missing",
                method: .get,
                headers: [HTTPField.Name("X-Correlation-ID")!: "abc-123"]
            ) { response in
                #expect(response.headers[HTTPField.Name("X-Correlation-ID")!] == "abc-123")
            }
        }
    }

    @Test("CORS preflight allows any origin, the contract's methods and headers, for 12 hours")
    func corsPreflight() async throws {
        try await withApp { client in
            try await client.execute(
                uri: "/api/users",
                method: .options,
                headers: [
                    .origin: "https://app.example", .accessControlRequestMethod: "PATCH",
                ]
            ) { response in
                #expect(response.headers[.accessControlAllowOrigin] == "*")
                let methods = response.headers[.accessControlAllowMethods] ?? ""
                for method in ["GET", "PATCH", "POST", "PUT", "DELETE", "OPTIONS"] {
                    #expect(methods.contains(method))
                }
                #expect(
                    response.headers[.accessControlAllowHeaders]?.lowercased().contains("sec-websocket-protocol")
                        == true)
                #expect(response.headers[.accessControlMaxAge] == "43200")
            }
        }
    }

    @Test("GET /api/openapi.json serves an OpenAPI 3.1 document")
    func openAPI() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                let json = try #require(
                    try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                )
                #expect((json["openapi"] as? String)?.hasPrefix("3.1") == true)
                let paths = try #require(json["paths"] as? [String: Any])
                #expect(paths["/api/imprint"] != nil)
            }
        }
    }
}

extension GatewayDependencies {
    /// Dependencies whose upstream clients are never connected (for routes that do not call them).
    static func offline(configuration: GatewayConfiguration, identity: TestIdentity = TestIdentity()) throws -> Self {
        func client() throws -> GRPCClient<BalancingClientTransport> {
            GRPCClient(
                transport: try BalancingClientTransport(
                    target: .addresses([EndpointAddress(host: "127.0.0.1", port: 9)]),
                    methodConfig: MethodConfig(names: [])))
        }
        return GatewayDependencies(
            configuration: configuration,
            upstreams: Upstreams(
                user: try client(), post: try client(), notification: try client(), image: try client()),
            issuer: identity.issuer,
            verifier: identity.verifier,
            logger: Logger(label: "gateway-test")
        )
    }
}
