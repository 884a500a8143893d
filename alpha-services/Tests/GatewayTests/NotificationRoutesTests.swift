import AlphaAuth
import AlphaTesting
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// E26–E29 rules the gateway enforces before any upstream call (the upstream clients point nowhere, so a
/// test that reached upstream would fail with 503/500).
@Suite("Gateway notification and push routes")
struct NotificationRoutesTests {
    let identity = TestIdentity()

    func withApp(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let dependencies = try GatewayDependencies.offline(configuration: GatewayConfiguration(), identity: identity)
        try await Application(router: GatewayApplication.makeRouter(dependencies: dependencies)).test(.router, body)
    }

    @Test("E26–E29 answer 401 ERR-014 without a valid access token")
    func needAToken() async throws {
        let routes: [(HTTPRequest.Method, String, String?)] = [
            (.get, "/api/notifications", nil),
            (.delete, "/api/notifications/5d0f6b7e-2c1a-4a53-9b1d-2f6a3c8d9e10", nil),
            (.get, "/api/push/vapid", nil),
            (.post, "/api/push/register", #"{"type":"expo","token":"ExponentPushToken[x]"}"#),
        ]
        let refresh = try await identity.issuer.issue(for: "alice", kind: .refresh)
        try await withApp { client in
            for (method, uri, body) in routes {
                for authorization in [nil, "Bearer garbage", "Bearer \(refresh)"] {
                    try await client.send(method, uri, body: body, authorization: authorization) {
                        try expectError($0, status: 401, code: "ERR-014")
                    }
                }
            }
        }
    }

    @Test("E27 with an id that is not a UUID answers 404 ERR-023 (D11)")
    func malformedID() async throws {
        let token = await identity.accessToken(for: "alice")
        try await withApp { client in
            for id in ["unknownnotification", "123", "5d0f6b7e-2c1a-4a53-9b1d-2f6a3c8d9e1"] {
                try await client.send(.delete, "/api/notifications/\(id)", token: token) {
                    try expectError($0, status: 404, code: "ERR-023")
                }
            }
        }
    }

    @Test(
        "E29 rejects bodies without a usable web subscription or Expo token with 400 ERR-001 (D13)",
        arguments: [
            "", "nope", "[]", #"{}"#, #"{"type":"push"}"#, #"{"type":5}"#, #"{"type":"expo"}"#,
            #"{"type":"expo","token":""}"#, #"{"type":"expo","token":"   "}"#, #"{"type":"expo","token":5}"#,
            #"{"type":"web"}"#, #"{"type":"web","subscription":null}"#,
            #"{"type":"web","subscription":{"endpoint":"","keys":{"p256dh":"k","auth":"a"}}}"#,
            #"{"type":"web","subscription":{"endpoint":"https://push.example.net/x","keys":{"p256dh":"","auth":"a"}}}"#,
            #"{"type":"web","subscription":{"endpoint":"https://push.example.net/x","keys":{"p256dh":"k"}}}"#,
            #"{"type":"web","subscription":{"endpoint":"https://push.example.net/x"}}"#,
            #"{"type":"web","subscription":{"endpoint":"https://push.example.net/x","expirationTime":"tomorrow","keys":{"p256dh":"k","auth":"a"}}}"#,
            #"{"type":"web","subscription":{"endpoint":"https://push.example.net/x","expirationTime":true,"keys":{"p256dh":"k","auth":"a"}}}"#,
        ]
    )
    func registerValidation(body: String) async throws {
        let token = await identity.accessToken(for: "alice")
        try await withApp { client in
            try await client.send(.post, "/api/push/register", body: body, token: token) {
                try expectError($0, status: 400, code: "ERR-001")
            }
        }
    }
}
