import AlphaTesting
import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Testing

/// E16–E24 rows the gateway answers before any upstream call: authentication (401 ERR-014), body rules
/// (400 ERR-001), malformed post ids (404 ERR-020), in the contract's order (§2.3). The upstream clients
/// point nowhere, so a request that reached the post service would fail differently.
@Suite("Gateway validation of the post routes")
struct PostRequestValidationTests {
    let identity = TestIdentity()

    func withApp(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let dependencies = try GatewayDependencies.offline(configuration: GatewayConfiguration(), identity: identity)
        try await Application(router: GatewayApplication.makeRouter(dependencies: dependencies)).test(.router, body)
    }

    var token: String { get async { await identity.accessToken(for: "alice") } }
    static let id = "0b6f5c1e-3c1a-4a53-9b1d-2f6a3c8d9e10"

    @Test(
        "every post route needs a valid Bearer access token (401 before the body is read)",
        arguments: [
            ("POST", "/api/posts"), ("DELETE", "/api/posts/\(id)"), ("GET", "/api/posts?q=a"),
            ("GET", "/api/users/alice/feed"), ("POST", "/api/posts/\(id)/likes"),
            ("DELETE", "/api/posts/\(id)/likes"), ("POST", "/api/posts/\(id)/comments"),
            ("GET", "/api/posts/\(id)/comments"),
        ])
    func authentication(method: String, path: String) async throws {
        let refresh = try await identity.issuer.issue(for: "alice", kind: .refresh)
        try await withApp { client in
            for authorization in [nil, "Bearer not-a-token", "Token \(await token)", "Bearer \(refresh)"] {
                try await client.send(.init(method)!, path, body: "{", authorization: authorization) {
                    try expectError($0, status: 401, code: "ERR-014")
                }
            }
        }
    }

    @Test("E18: no header is the anonymous feed, but a header that is not a valid Bearer token is 401 (D01)")
    func feedAuthentication() async throws {
        try await withApp { client in
            for authorization in ["Bearer not-a-token", "Token \(await token)", "Bearer", ""] {
                try await client.send(.get, "/api/feed", authorization: authorization) {
                    try expectError($0, status: 401, code: "ERR-014")
                }
            }
        }
    }

    /// One app for all rows (a parameterized test would start one application per row).
    static let invalidCreateBodies = [
        "", "not json", "[]", #"{"content":5}"#, #"{}"#, #"{"content":""}"#, #"{"content":"   "}"#,
        #"{"content":"","picture":""}"#, #"{"content":"","picture":null,"repostedPostId":""}"#,
        #"{"content":"\#(String(repeating: "a", count: 257))"}"#,
        #"{"content":"\#(String(repeating: "'", count: 52))"}"#,
        #"{"content":"a\u0000b"}"#,
        #"{"content":"hi","repostedPostId":"0B6F5C1E-3C1A-4A53-9B1D-2F6A3C8D9E10"}"#,
        #"{"content":"hi","repostedPostId":"0b6f5c1e-3c1a-1a53-9b1d-2f6a3c8d9e10"}"#,
        #"{"content":"hi","repostedPostId":5}"#,
        #"{"content":"hi","location":{"latitude":90.1,"longitude":0}}"#,
        #"{"content":"hi","location":{"latitude":0,"longitude":-180.5}}"#,
        #"{"content":"hi","location":{"latitude":1,"longitude":1,"accuracy":-1}}"#,
        #"{"content":"hi","location":{"latitude":1,"longitude":1,"accuracy":1.5}}"#,
        #"{"content":"hi","location":{"longitude":1}}"#,
        #"{"content":"hi","location":"here"}"#,
    ]

    @Test("E16 rejects malformed bodies and rule violations with 400 ERR-001")
    func createValidation() async throws {
        try await withApp { client in
            for body in Self.invalidCreateBodies {
                try await client.send(.post, "/api/posts", body: body, token: token) {
                    try expectError($0, status: 400, code: "ERR-001")
                }
            }
        }
    }

    @Test("a post id that is not a UUID answers 404 ERR-020 on E17, E21, E22, E23 (valid body) and E24")
    func malformedPostIDs() async throws {
        try await withApp { client in
            for id in ["nope", "12345", "0b6f5c1e3c1a4a539b1d2f6a3c8d9e10", "%20"] {
                for (method, suffix) in [
                    ("DELETE", ""), ("POST", "/likes"), ("DELETE", "/likes"), ("GET", "/comments"),
                ] {
                    try await client.send(.init(method)!, "/api/posts/\(id)\(suffix)", token: token) {
                        try expectError($0, status: 404, code: "ERR-020")
                    }
                }
                try await client.send(.post, "/api/posts/\(id)/comments", body: #"{"content":"hi"}"#, token: token) {
                    try expectError($0, status: 404, code: "ERR-020")
                }
            }
        }
    }

    @Test(
        "E23 validates the body before the path id: 1–128 escaped characters",
        arguments: [
            "", "{}", #"{"content":""}"#, #"{"content":"  "}"#, #"{"content":null}"#,
            #"{"content":"\#(String(repeating: "a", count: 129))"}"#,
            #"{"content":"\#(String(repeating: "&", count: 26))"}"#,
        ])
    func commentValidation(body: String) async throws {
        try await withApp { client in
            for id in ["nope", Self.id] {
                try await client.send(.post, "/api/posts/\(id)/comments", body: body, token: token) {
                    try expectError($0, status: 400, code: "ERR-001")
                }
            }
        }
    }

    @Test("E20: a path value that cannot be a username is 404 ERR-004")
    func userFeedUsername() async throws {
        try await withApp { client in
            try await client.send(.get, "/api/users/not%20a%20name/feed", token: token) {
                try expectError($0, status: 404, code: "ERR-004")
            }
        }
    }
}
