import AlphaContracts
import AlphaCore
import AlphaGRPC
import AlphaTesting
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Testing

@Suite("The five real executables, started together", .serialized)
struct SystemSmokeTests {
    @Test("every process starts, answers health, admin and gRPC checks, and exits 0 on SIGTERM")
    func smoke() async throws {
        let database = try await TestPostgres.createDatabase()
        let system = try RunningSystem()
        do {
            try await system.start(database: database)
            try await checkGateway(system)
            try await checkAdminEndpoints(system)
            try await checkGRPCHealth(system)
            try await checkWiringThroughUserService(system)
        } catch {
            _ = await system.stop()
            try? await database.drop()
            throw error
        }
        let statuses = await system.stop()
        try await database.drop()
        for name in RunningSystem.processes {
            #expect(statuses[name] == 0, "\(name) exit status; log:\n\(system.log(of: name))")
        }
    }

    private func checkGateway(_ system: RunningSystem) async throws {
        let base = "http://127.0.0.1:\(system.ports.gatewayHTTP)"
        let (status, body) = try await HTTP.get("\(base)/api/imprint")
        #expect(status == 200)
        let imprint = try JSONSerialization.jsonObject(with: body) as? [String: Any]
        #expect((imprint?["text"] as? String)?.isEmpty == false)

        let (missingStatus, missingBody) = try await HTTP.get("\(base)/api/does-not-exist")
        #expect(missingStatus == 404)
        let envelope = try JSONSerialization.jsonObject(with: missingBody) as? [String: Any]
        let error = envelope?["error"] as? [String: Any]
        #expect(error?["code"] as? String == "ERR-000")
        #expect(error?["http_status"] as? Int == 404)
    }

    private func checkAdminEndpoints(_ system: RunningSystem) async throws {
        for name in RunningSystem.processes {
            let base = "http://127.0.0.1:\(system.ports.admin[name]!)"
            let (live, _) = try await HTTP.get("\(base)/health/live")
            #expect(live == 200, "\(name) /health/live")
            let (ready, _) = try await HTTP.get("\(base)/health/ready")
            #expect(ready == 200, "\(name) /health/ready")
            let (metricsStatus, metrics) = try await HTTP.get("\(base)/metrics")
            #expect(metricsStatus == 200, "\(name) /metrics")
            let text = String(decoding: metrics, as: UTF8.self)
            // The readiness probes above went through the admin server, so HTTP metrics exist on the gateway;
            // every service has answered at least the health RPCs only after checkGRPCHealth, so check format.
            #expect(text.isEmpty || text.contains("# TYPE"), "\(name) /metrics is Prometheus text")
        }
    }

    private func checkGRPCHealth(_ system: RunningSystem) async throws {
        for name in RunningSystem.services {
            try await withGRPCClient(
                transport: try .http2NIOPosix(
                    target: .ipv4(address: "127.0.0.1", port: system.ports.grpc[name]!),
                    transportSecurity: .plaintext
                )
            ) { client in
                let health = Grpc_Health_V1_Health.Client(wrapping: client)
                let overall = try await health.check(.with { $0.service = "" })
                #expect(overall.status == .serving, "\(name) overall health")
            }
        }
        // Each service's RPC metrics now include the health checks.
        for name in RunningSystem.services {
            let (_, metrics) = try await HTTP.get("http://127.0.0.1:\(system.ports.admin[name]!)/metrics")
            #expect(String(decoding: metrics, as: UTF8.self).contains("grpc_server_requests_total"), "\(name)")
        }
    }

    private func checkWiringThroughUserService(_ system: RunningSystem) async throws {
        let port = system.ports.grpc["user-service"]!
        let transport = try HTTP2ClientTransport.Posix(
            target: .ipv4(address: "127.0.0.1", port: port),
            transportSecurity: .plaintext
        )
        let credential = system.identity.credential
        try await withGRPCClient(transport: transport, interceptors: [CredentialInterceptor(credential: credential)]) {
            client in
            let accounts = Alpha_User_V1_Accounts.Client(wrapping: client)
            // A real query against the user service's migrated schema: the user does not exist.
            let error = await #expect(throws: RPCError.self) {
                try await accounts.checkUser(.with { $0.username = "nobody" })
            }
            #expect(error?.code == .notFound)
            #expect(error.flatMap { ServiceError(remote: $0) }?.code == "ERR-004")
        }
        // Without the credential, the same call is refused before the handler runs.
        try await withGRPCClient(
            transport: try .http2NIOPosix(
                target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
        ) { client in
            let accounts = Alpha_User_V1_Accounts.Client(wrapping: client)
            let error = await #expect(throws: RPCError.self) {
                try await accounts.checkUser(.with { $0.username = "nobody" })
            }
            #expect(error?.code == .unauthenticated)
        }
    }
}
