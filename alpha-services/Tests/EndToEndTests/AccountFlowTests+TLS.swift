import AlphaGRPC
import AlphaTesting
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Testing

/// The five real executables with gRPC over mutual TLS (`GRPC_TLS_*`, as the chart sets them): every hop
/// — gateway → user/post services, user → notification (mail and follow notifications through the
/// outbox), post → user/image — is TLS, and a service refuses a plaintext caller.
extension AccountFlowTests {
    @Test(
        "gRPC over mutual TLS: register, activate by mail, login, profile, follow and post; plaintext callers are refused"
    )
    func mutualTLS() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let tls = certificates.environment(requireClientCertificate: true)
        let environment = Dictionary(uniqueKeysWithValues: RunningSystem.processes.map { ($0, tls) })
        try await withSystem(environment: environment) { client, system in
            let alice = try await client.activatedUser("alice")
            let bob = try await client.activatedUser("bob")
            let login = try await client.call(
                .POST, "/api/users/login", #"{"username":"alice","password":"Passw0rd!"}"#)
            #expect(login.status == 200)
            let profile = try await client.call(.GET, "/api/users/alice", token: alice)
            #expect(profile.status == 200 && profile.json["username"] as? String == "alice")
            let follow = try await client.call(.POST, "/api/subscriptions", #"{"following":"bob"}"#, token: alice)
            #expect(follow.status == 201)
            let post = try await client.call(.POST, "/api/posts", #"{"content":"over TLS"}"#, token: bob)
            #expect(post.status == 201, "\(post.json)")
            #expect((post.json["author"] as? [String: Any])?["username"] as? String == "bob")

            // The services really serve TLS: a plaintext health check gets no answer.
            for name in RunningSystem.services {
                var options = CallOptions.defaults
                options.timeout = .seconds(2)
                await #expect(throws: RPCError.self, "\(name) answered a plaintext call") {
                    try await withGRPCClient(
                        transport: try .http2NIOPosix(
                            target: .ipv4(address: "127.0.0.1", port: system.ports.grpc[name]!),
                            transportSecurity: .plaintext
                        )
                    ) { plain in
                        _ = try await Grpc_Health_V1_Health.Client(wrapping: plain).check(
                            .with { $0.service = "" }, options: options)
                    }
                }
            }
        }
    }
}
