import AlphaCore
import AlphaGRPC
import AlphaTesting
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import ServiceLifecycle
import Testing

/// gRPC over TLS between the kit's real server and client on loopback, with certificates made at test time.
@Suite("gRPC over TLS", .timeLimit(.minutes(1)))
struct GRPCTLSTests {
    static let certificates = Result { try TestCertificates.make() }
    static let otherCA = Result { try TestCertificates.make(caName: "Another CA") }
    let identity = TestIdentity()

    func tls(_ certificates: TestCertificates, mutual: Bool = false) throws -> GRPCTLS {
        try #require(try GRPCTLS.fromSettings(.dictionary(certificates.environment(requireClientCertificate: mutual))))
    }

    /// Runs a TLS (or plaintext, `server` nil) server answering `alpha.test.Replica` with "tls", and
    /// passes its port to `body`.
    func withServer(tls: GRPCTLS?, _ body: (Int) async throws -> Void) async throws {
        let server = GRPCServerService(
            host: "127.0.0.1",
            port: 0,
            services: [ReplicaService(name: "tls")],
            identity: identity.interceptor,
            readiness: Readiness(),
            logger: .quiet,
            tls: tls
        )
        let group = ServiceGroup(services: [server], logger: .quiet)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await server.listeningPort()
            do {
                try await body(port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// One call through the kit's client to `host:port` (or `target`; deadline 2 s), with `tls`.
    func call(host: String = "127.0.0.1", port: Int, target: ClientTarget? = nil, tls: GRPCTLS?) async throws -> String
    {
        let client = try GRPCClientService(
            target: target ?? .addresses([EndpointAddress(host: host, port: port)]),
            credential: identity.credential,
            timeout: .seconds(2),
            logger: .quiet,
            tls: tls
        )
        return try await withClient(client.client) { grpc in
            if case .dns = target {
                // A dns:/// target has endpoints once resolved and watched.
                try await waitUntil { !client.transport.servingEndpointAddresses.isEmpty }
            }
            return try await grpc.probe(ReplicaService.Method.name)
        }
    }

    /// Runs `client`'s connections around `body`.
    func withClient<Transport: ClientTransport, T: Sendable>(
        _ client: GRPCClient<Transport>,
        _ body: (GRPCClient<Transport>) async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await client.runConnections() }
            defer { client.beginGracefulShutdown() }
            return try await body(client)
        }
    }

    @Test("a client trusting the CA calls a TLS server, by IP literal, by host name and by a dns:/// name")
    func rightCA() async throws {
        let tls = try tls(Self.certificates.get())
        try await withServer(tls: tls) { port in
            let byAddress = try await call(port: port, tls: tls)
            let byName = try await call(host: "localhost", port: port, tls: tls)
            // Balanced over the resolved addresses, each verified against the name `localhost`.
            let byDNS = try await call(port: port, target: .dns(host: "localhost", port: port), tls: tls)
            #expect(byAddress == "tls" && byName == "tls" && byDNS == "tls")
        }
    }

    @Test("a client trusting another CA, and a plaintext client, get no answer from a TLS server")
    func wrongCAAndPlaintext() async throws {
        let tls = try tls(Self.certificates.get())
        let stranger = try self.tls(Self.otherCA.get())
        try await withServer(tls: tls) { port in
            for clientTLS in [stranger, nil] {
                let error = await #expect(throws: RPCError.self) { try await call(port: port, tls: clientTLS) }
                #expect([.unavailable, .deadlineExceeded].contains(error?.code), "\(String(describing: error))")
            }
        }
    }

    @Test("a TLS client gets no answer from a plaintext server")
    func tlsClientPlaintextServer() async throws {
        let tls = try tls(Self.certificates.get())
        try await withServer(tls: nil) { port in
            await #expect(throws: RPCError.self) { try await call(port: port, tls: tls) }
        }
    }

    @Test("mutual TLS: the kit's client (presenting its certificate) is served; one without a certificate is not")
    func mutualTLS() async throws {
        let certificates = try Self.certificates.get()
        let tls = try tls(certificates, mutual: true)
        try await withServer(tls: tls) { port in
            let answer = try await call(port: port, tls: tls)
            #expect(answer == "tls")
            // A client that verifies the server and carries the service credential, but shows no certificate
            // of its own: the handshake fails, so the call never reaches the server.
            let anonymous = GRPCClient(
                transport: try HTTP2ClientTransport.Posix(
                    target: .ipv4(address: "127.0.0.1", port: port),
                    transportSecurity: .tls {
                        $0.trustRoots = .certificates([.file(path: certificates.caFile, format: .pem)])
                    }
                ),
                interceptors: [CredentialInterceptor(credential: identity.credential)]
            )
            var options = CallOptions.defaults
            options.timeout = .seconds(2)
            let error = await #expect(throws: RPCError.self) {
                try await withClient(anonymous) { try await $0.probe(ReplicaService.Method.name, options: options) }
            }
            #expect([.unavailable, .deadlineExceeded].contains(error?.code), "\(String(describing: error))")
        }
    }

    @Test("settings: unset is plaintext; missing, unreadable, non-PEM and mismatched files name their variable")
    func settings() throws {
        let certificates = try Self.certificates.get()
        let other = try Self.otherCA.get()
        #expect(try GRPCTLS.fromSettings(.dictionary([:])) == nil)
        #expect(
            try GRPCTLS.fromSettings(.dictionary(["GRPC_TLS_ENABLED": "false", "GRPC_TLS_CERT_FILE": "/nope"])) == nil)
        let good = certificates.environment(requireClientCertificate: true)
        let tls = try #require(try GRPCTLS.fromSettings(.dictionary(good)))
        #expect(tls.requireClientCertificate)

        func failure(_ changes: [String: String?]) -> ConfigurationError? {
            var environment = good
            for (key, value) in changes { environment[key] = value }
            return #expect(throws: ConfigurationError.self) {
                try GRPCTLS.fromSettings(.dictionary(environment))
            }
        }
        #expect(failure(["GRPC_TLS_CA_FILE": nil]) == .missing(variable: "GRPC_TLS_CA_FILE"))
        #expect(
            failure(["GRPC_TLS_CERT_FILE": certificates.directory + "/absent.crt"])?.variable == "GRPC_TLS_CERT_FILE")
        #expect(failure(["GRPC_TLS_KEY_FILE": certificates.caFile])?.variable == "GRPC_TLS_KEY_FILE")
        #expect(failure(["GRPC_TLS_CA_FILE": certificates.keyFile])?.variable == "GRPC_TLS_CA_FILE")
        // A key of another certificate.
        let mismatched = failure(["GRPC_TLS_KEY_FILE": other.keyFile])
        #expect(mismatched?.variable == "GRPC_TLS_KEY_FILE" && "\(mismatched!)".contains("does not match"))
        #expect(failure(["GRPC_TLS_ENABLED": "yes please"])?.variable == "GRPC_TLS_ENABLED")
    }
}
