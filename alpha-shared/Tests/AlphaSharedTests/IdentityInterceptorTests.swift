import AlphaAuth
import AlphaCore
import AlphaGRPC
import AlphaTesting
import Crypto
import Foundation
import GRPCCore
import GRPCInProcessTransport
import Testing

@Suite("Identity over gRPC: every RPC needs a user token or the service credential")
struct IdentityInterceptorTests {
    let identity = TestIdentity()

    func bearer(_ token: String) -> Metadata { metadata(["authorization": "Bearer \(token)"]) }

    func metadata(_ pairs: [String: String]) -> Metadata {
        var metadata = Metadata()
        for (key, value) in pairs { metadata.addString(value, forKey: key) }
        return metadata
    }

    /// Runs `body` against the probe (plus health) with a client that sends no credential by itself.
    func withBareClient(
        _ body: @Sendable (GRPCClient<InProcessTransport.Client>) async throws -> Void
    ) async throws {
        try await withInProcessServer(services: [ProbeService()], identity: identity, sendCredential: false) {
            try await body($0)
        }
    }

    @Test("a call with neither credential nor token is unauthenticated and never reaches the handler")
    func nothing() async throws {
        try await withBareClient { client in
            let error = await #expect(throws: RPCError.self) { try await client.probe(ProbeService.Method.whoAmI) }
            #expect(error?.code == .unauthenticated)
        }
    }

    @Test("a wrong service credential is unauthenticated")
    func wrongCredential() async throws {
        try await withBareClient { client in
            let error = await #expect(throws: RPCError.self) {
                try await client.probe(
                    ProbeService.Method.whoAmI,
                    metadata: metadata([ServiceCredential.metadataKey: "not-the-credential-at-all"])
                )
            }
            #expect(error?.code == .unauthenticated)
        }
    }

    @Test("a valid access token lets the handler see the user in Caller.current")
    func validToken() async throws {
        let token = await identity.accessToken(for: "alice")
        try await withBareClient { client in
            let answer = try await client.probe(ProbeService.Method.whoAmI, metadata: bearer(token))
            #expect(answer == "alice|false")
        }
    }

    @Test("the service credential alone makes a service caller without a user")
    func credentialOnly() async throws {
        try await withInProcessServer(services: [ProbeService()], identity: identity) { client in
            let answer = try await client.probe(ProbeService.Method.whoAmI)
            #expect(answer == "-|true")
        }
    }

    @Test("the credential interceptor forwards the task's user token next to the credential")
    func forwardedToken() async throws {
        let token = await identity.accessToken(for: "carol")
        try await withInProcessServer(services: [ProbeService()], identity: identity) { client in
            let answer = try await ForwardedUserToken.$current.withValue(token) {
                try await client.probe(ProbeService.Method.whoAmI)
            }
            #expect(answer == "carol|true")
        }
    }

    @Test("a server-streaming handler sees the caller too")
    func streamingHandlerSeesCaller() async throws {
        let token = await identity.accessToken(for: "dave")
        try await withBareClient { client in
            let answers = try await client.probeStream(ProbeService.Method.whoAmIStream, metadata: bearer(token))
            #expect(answers == ["dave|false"])
        }
    }

    @Test(
        "an invalid token is unauthenticated even next to a valid credential",
        arguments: ["expired", "refresh", "other key", "not a jwt", "wrong scheme"]
    )
    func invalidTokens(kind: String) async throws {
        let header: String =
            switch kind {
            case "expired":
                "Bearer "
                    + (try await identity.issuer.issue(
                        for: "alice", kind: .access, now: Date(timeIntervalSinceNow: -25 * 3600)))
            case "refresh": "Bearer " + (try await identity.issuer.issue(for: "alice", kind: .refresh))
            case "other key":
                "Bearer "
                    + (try await TokenIssuer(privateKey: Curve25519.Signing.PrivateKey(), policy: identity.policy)
                        .issue(
                            for: "alice", kind: .access))
            case "not a jwt": "Bearer abc.def"
            default: "Token " + (await identity.accessToken(for: "alice"))
            }
        try await withInProcessServer(services: [ProbeService()], identity: identity) { client in
            let error = await #expect(throws: RPCError.self) {
                try await client.probe(ProbeService.Method.whoAmI, metadata: metadata(["authorization": header]))
            }
            #expect(error?.code == .unauthenticated)
        }
    }

    @Test("the health service answers without any credential")
    func healthIsOpen() async throws {
        try await withBareClient { client in
            let response = try await Grpc_Health_V1_Health.Client(wrapping: client).check(.init())
            #expect(response.status == .serving)
        }
    }

    @Test("identify(_:) reads the credential and the bearer token from metadata")
    func identifyDirectly() async throws {
        let interceptor = identity.interceptor
        let token = await identity.accessToken(for: "erin")
        let both = metadata([
            ServiceCredential.metadataKey: identity.credential.value, "authorization": "Bearer \(token)",
        ])
        let caller = try await interceptor.identify(both)
        #expect(caller == Caller(username: "erin", isService: true, userToken: token))
        await #expect(throws: RPCError.self) { try await interceptor.identify([:]) }
    }

    @Test("Caller.requireUser and requireService map to unauthenticated and permissionDenied")
    func identityErrors() {
        #expect(RPCError(IdentityError.userRequired).code == .unauthenticated)
        #expect(RPCError(IdentityError.serviceRequired).code == .permissionDenied)
        Caller.$current.withValue(Caller(username: "alice")) {
            #expect(throws: IdentityError.serviceRequired) { try Caller.requireService() }
            #expect((try? Caller.requireUser()) == "alice")
        }
        Caller.$current.withValue(Caller(isService: true)) {
            #expect(throws: IdentityError.userRequired) { try Caller.requireUser() }
            #expect((try? Caller.requireService()) != nil)
        }
    }
}
