import AlphaAuth
import AlphaTesting
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Rules the gateway enforces before any upstream call: authentication (401 ERR-014), body validation
/// (400 ERR-001), path ids (404), and the refresh endpoint it answers alone. The upstream clients here
/// point nowhere, so a test that reached upstream would fail.
@Suite("Gateway request validation, authentication and refresh")
struct RequestValidationTests {
    let identity = TestIdentity()

    func withApp(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let dependencies = try GatewayDependencies.offline(configuration: GatewayConfiguration(), identity: identity)
        try await Application(router: GatewayApplication.makeRouter(dependencies: dependencies)).test(.router, body)
    }

    static let validRegistration = #"{"username":"alice","password":"Passw0rd!","email":"alice@example.org"}"#

    @Test(
        "E02 register rejects malformed bodies and rule violations with 400 ERR-001",
        arguments: [
            "", "not json", "[]", #""alice""#, #"{"username":"alice"}"#,
            #"{"username":5,"password":"Passw0rd!","email":"alice@example.org"}"#,
            #"{"username":"alice","password":"Passw0rd!","email":"alice@example.org","nickname":5}"#,
            #"{"username":"abcdefghijklmnopqrstu","password":"Passw0rd!","email":"a@example.org"}"#,
            #"{"username":"al ice","password":"Passw0rd!","email":"a@example.org"}"#,
            #"{"username":"alice","password":"password1!","email":"a@example.org"}"#,
            #"{"username":"alice","password":"Passw0rd","email":"a@example.org"}"#,
            #"{"username":"alice","password":"Pässw0rd!","email":"a@example.org"}"#,
            #"{"username":"alice","password":"Passw0rd!\#(String(repeating: "a", count: 64))","email":"a@example.org"}"#,
            #"{"username":"alice","password":"Passw0rd!","email":"not-an-email"}"#,
            #"{"username":"alice","password":"Passw0rd!","email":"\#(String(repeating: "a", count: 120))@example.org"}"#,
            #"{"username":"alice","password":"Passw0rd!","email":"a@example.org","nickname":"abcdefghijklmnopqrstuvwxyz"}"#,
            #"{"username":"alice","password":"Passw0rd!","email":"a@example.org","nickname":"''''''"}"#,
            // Unpadded base64: refused by the gateway itself.
            #"{"username":"alice","password":"Passw0rd!","email":"a@example.org","profilePicture":"iVBORw0KGgo"}"#,
            // Not strict RFC 8259 JSON.
            #"{"username":"alice","password":"Passw0rd!","email":"alice@example.org",}"#,
            #"{"username":"alice","username":"bob","password":"Passw0rd!","email":"alice@example.org"}"#,
            #"{"username":"alice","password":"Passw0rd!","email":"alice@example.org"} // me"#,
            #"{"username":"alice","password":"Passw0rd!","email":"alice@example.org","n":NaN}"#,
            // A control character in the password (bcrypt would cut it at the NUL).
            #"{"username":"alice","password":"Passw0rd!\u0000x","email":"alice@example.org"}"#,
            #"{"username":"alice","password":"Passw0rd!\tx","email":"alice@example.org"}"#,
        ]
    )
    func registerValidation(body: String) async throws {
        try await withApp { client in
            try await client.send(.post, "/api/users", body: body) { try expectError($0, status: 400, code: "ERR-001") }
        }
    }

    @Test("E03 and E08 require a 6-digit code, E05 and E08 the password policy (400 before any lookup)")
    func codesAndPasswords() async throws {
        try await withApp { client in
            for body in [#"{"token":"12345a"}"#, #"{"token":"1234567"}"#, #"{}"#, ""] {
                try await client.send(.post, "/api/users/alice/activate", body: body) {
                    try expectError($0, status: 400, code: "ERR-001")
                }
            }
            for body in [#"{"username":"alice","password":"short"}"#, #"{"username":"a b","password":"Passw0rd!"}"#] {
                try await client.send(.post, "/api/users/login", body: body) {
                    try expectError($0, status: 400, code: "ERR-001")
                }
            }
            for body in [#"{"newPassword":"weak","token":"123456"}"#, #"{"newPassword":"Passw0rd!","token":"12"}"#] {
                try await client.send(.patch, "/api/users/alice/reset-password", body: body) {
                    try expectError($0, status: 400, code: "ERR-001")
                }
            }
        }
    }

    @Test("E06 refresh: an access token, an expired, forged or garbage token answers 401 ERR-007 (D04)")
    func refreshRejects() async throws {
        let other = TestIdentity()
        let now = Int(Date().timeIntervalSince1970)
        let expired = try await identity.issuer.sign(
            claims: UserTokenClaims(
                sub: "alice", refresh: true, iss: identity.policy.issuer, aud: [identity.policy.audience],
                iat: now - 100, exp: now - 10)
        )
        // A well-signed refresh token without a session (no version: issued before sessions existed) is
        // refused before any upstream call, like a forged one.
        let sessionless = try await identity.issuer.issue(for: "alice", kind: .refresh)
        let tokens = [
            await identity.accessToken(for: "alice"), expired,
            try await other.issuer.issue(for: "alice", kind: .refresh),
            "garbage", sessionless,
        ]
        try await withApp { client in
            for token in tokens {
                try await client.send(.post, "/api/users/refresh", body: #"{"refreshToken":"\#(token)"}"#) {
                    try expectError($0, status: 401, code: "ERR-007")
                }
            }
            for body in [#"{"refreshToken":""}"#, "{}", "nope"] {
                try await client.send(.post, "/api/users/refresh", body: body) {
                    try expectError($0, status: 400, code: "ERR-001")
                }
            }
        }
    }

    static let protectedRoutes: [(HTTPRequest.Method, String, String?)] = [
        (.get, "/api/users?username=al", nil),
        (.put, "/api/users", #"{"nickname":"x"}"#),
        (.patch, "/api/users", #"{"oldPassword":"Passw0rd!","newPassword":"Passw0rd!"}"#),
        (.get, "/api/users/alice", nil),
        (.post, "/api/subscriptions", #"{"following":"bob"}"#),
        (.delete, "/api/subscriptions/5d0f6b7e-2c1a-4a53-9b1d-2f6a3c8d9e10", nil),
        (.get, "/api/subscriptions/alice", nil),
    ]

    @Test("E09–E15 answer 401 ERR-014 without a valid access token, before looking at the body")
    func protectedRoutesNeedAToken() async throws {
        let other = TestIdentity()
        let now = Int(Date().timeIntervalSince1970)
        let expired = try await identity.issuer.sign(
            claims: UserTokenClaims(
                sub: "alice", refresh: false, iss: identity.policy.issuer, aud: [identity.policy.audience],
                iat: now - 100, exp: now - 10)
        )
        let access = await identity.accessToken(for: "alice")
        let authorizations: [String?] = [
            nil, "Bearer", "Bearer  \(access)", "Token \(access)", "Bearer \(access) extra",
            "Bearer \(try await identity.issuer.issue(for: "alice", kind: .refresh))", "Bearer \(expired)",
            "Bearer \(await other.accessToken(for: "alice"))", "Bearer garbage",
        ]
        try await withApp { client in
            for (method, uri, body) in Self.protectedRoutes {
                for authorization in authorizations {
                    try await client.send(method, uri, body: body.map { _ in "not json" }, authorization: authorization)
                    {
                        try expectError($0, status: 401, code: "ERR-014")
                    }
                }
            }
        }
    }

    @Test("authenticated E10, E11 and E13 reject invalid bodies with 400 ERR-001")
    func authenticatedValidation() async throws {
        let token = await identity.accessToken(for: "alice")
        let cases: [(HTTPRequest.Method, String, String)] = [
            (.put, "/api/users", #"{"nickname":"abcdefghijklmnopqrstuvwxyz"}"#),
            (.put, "/api/users", #"{"status":"\#(String(repeating: "s", count: 257))"}"#),
            (.put, "/api/users", #"{"picture":"iVBORw0KGgo"}"#),  // unpadded base64
            (.put, "/api/users", #"{"nickname":1}"#),
            (.put, "/api/users", "oops"),
            (.put, "/api/users", #"{"nickname": "Arda New",}"#),
            (.put, "/api/users", #"{"nickname": "a", "nickname": "b"}"#),
            (.put, "/api/users", #"{"nickname": "a" /* c */}"#),
            (.patch, "/api/users", #"{"oldPassword":"Passw0rd!","newPassword":"Passw0rd!\u007f"}"#),
            (.patch, "/api/users", #"{"newPassword":"Passw0rd!"}"#),
            (.patch, "/api/users", #"{"oldPassword":"Passw0rd!","newPassword":"weak"}"#),
            (.post, "/api/subscriptions", #"{"following":"not valid!"}"#),
            (.post, "/api/subscriptions", #"{}"#),
        ]
        try await withApp { client in
            for (method, uri, body) in cases {
                try await client.send(method, uri, body: body, token: token) {
                    try expectError($0, status: 400, code: "ERR-001")
                }
            }
        }
    }

    @Test("a body over MAX_BODY_BYTES answers 400 ERR-001 without being read whole")
    func oversizedBody() async throws {
        let dependencies = try GatewayDependencies.offline(
            configuration: GatewayConfiguration(maxBodyBytes: 1024),
            identity: identity
        )
        let padding = String(repeating: "x", count: 4096)
        try await Application(router: GatewayApplication.makeRouter(dependencies: dependencies)).test(.router) {
            client in
            try await client.send(
                .post, "/api/users",
                body: #"{"username":"alice","password":"Passw0rd!","email":"a@example.org","pad":"\#(padding)"}"#
            ) { try expectError($0, status: 400, code: "ERR-001") }
        }
    }

    @Test("per-route body limits: 64 KiB, but 15 MiB for the picture routes E02, E10 (and E16)")
    func perRouteBodyLimits() async throws {
        let padding = String(repeating: "x", count: 70 * 1024)
        let dependencies = try GatewayDependencies.offline(configuration: GatewayConfiguration(), identity: identity)
        // Over real HTTP: the limit is enforced before the route looks at anything, even the token.
        try await Application(router: GatewayApplication.makeRouter(dependencies: dependencies)).test(.live) {
            client in
            try await client.send(
                .post, "/api/users/login", body: #"{"username":"alice","password":"Passw0rd!","pad":"\#(padding)"}"#
            ) { try expectError($0, status: 400, code: "ERR-001") }
            try await client.send(.patch, "/api/users", body: #"{"pad":"\#(padding)"}"#) {
                try expectError($0, status: 400, code: "ERR-001")
            }
            try await client.send(.post, "/api/users/alice/activate", body: #"{"token":"123456","pad":"\#(padding)"}"#)
            {
                try expectError($0, status: 400, code: "ERR-001")
            }
            // The same size on a picture route passes the limit: the route answers (here: no token → 401).
            try await client.send(.put, "/api/users", body: #"{"nickname":"Al","pad":"\#(padding)"}"#) {
                try expectError($0, status: 401, code: "ERR-014")
            }
        }
        let limits = BodyLimits()
        #expect(limits.limit(for: .post, path: "/api/users") == 15 * 1024 * 1024)
        #expect(limits.limit(for: .put, path: "/api/users") == 15 * 1024 * 1024)
        #expect(limits.limit(for: .post, path: "/api/posts") == 15 * 1024 * 1024)
        #expect(limits.limit(for: .post, path: "/api/posts/5d0f6b7e-2c1a-4a53-9b1d-2f6a3c8d9e10/comments") == 64 * 1024)
        #expect(limits.limit(for: .patch, path: "/api/users") == 64 * 1024)
    }

    @Test("a path username that cannot exist (bad characters, NUL) answers 404 ERR-004 without an upstream call")
    func impossibleUsernames() async throws {
        let token = await identity.accessToken(for: "alice")
        try await withApp { client in
            for name in ["a%00b", "not%20valid", String(repeating: "a", count: 21)] {
                try await client.send(.get, "/api/users/\(name)", token: token) {
                    try expectError($0, status: 404, code: "ERR-004")
                }
                try await client.send(.get, "/api/subscriptions/\(name)", token: token) {
                    try expectError($0, status: 404, code: "ERR-004")
                }
                try await client.send(.delete, "/api/users/\(name)/activate") {
                    try expectError($0, status: 404, code: "ERR-004")
                }
                try await client.send(.post, "/api/users/\(name)/reset-password") {
                    try expectError($0, status: 404, code: "ERR-004")
                }
                try await client.send(.post, "/api/users/\(name)/activate", body: #"{"token":"123456"}"#) {
                    try expectError($0, status: 404, code: "ERR-004")
                }
            }
            // Body validation comes before the path (the contract's order of checks).
            try await client.send(.post, "/api/users/a%00b/activate", body: #"{"token":"x"}"#) {
                try expectError($0, status: 400, code: "ERR-001")
            }
            try await client.send(.put, "/api/users", body: #"{"nickname":"a\u0000b"}"#, token: token) {
                try expectError($0, status: 400, code: "ERR-001")
            }
        }
    }

    @Test("E14 with an id that is not a UUID answers 404 ERR-015 (D11)")
    func malformedSubscriptionID() async throws {
        try await withApp { client in
            try await client.send(
                .delete, "/api/subscriptions/unknownsubscription", token: await identity.accessToken(for: "alice")
            ) {
                try expectError($0, status: 404, code: "ERR-015")
            }
        }
    }
}
