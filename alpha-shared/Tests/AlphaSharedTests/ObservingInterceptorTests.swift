import AlphaCore
import AlphaGRPC
import AlphaTesting
import GRPCCore
import Testing

/// The "rpc finished" line (and the RED metrics recorded with it) describes the whole RPC.
@Suite("RPC logging and metrics at the end of an RPC")
struct ObservingInterceptorTests {
    /// The "rpc finished" lines of `method` so far, as their metadata.
    func finished(_ capture: LineCapture, _ method: String) -> [[String: Any]] {
        capture.objects.filter { $0["message"] as? String == "rpc finished" }
            .compactMap { $0["metadata"] as? [String: Any] }
            .filter { $0["rpc"] as? String == method }
    }

    @Test("a Health/Watch stream is recorded once, when it ends, with the stream's duration — not at open with 0 ms")
    func streamingDuration() async throws {
        let capture = LineCapture()
        let readiness = Readiness()
        let health = HealthService(serviceNames: [], readiness: readiness)
        let watch = "grpc.health.v1.Health/Watch"
        try await withInProcessServer(services: [health], identity: TestIdentity(), logger: capture.logger()) {
            client in
            try await Grpc_Health_V1_Health.Client(wrapping: client).watch(.with { $0.service = "" }) { response in
                for try await message in response.messages where message.status == .serving {
                    // The stream is open and has answered: nothing recorded yet.
                    #expect(finished(capture, watch).isEmpty)
                    try await Task.sleep(for: .milliseconds(300))
                    readiness.beginDraining()  // ends the stream
                }
            }
        }
        let lines = finished(capture, watch)
        #expect(lines.count == 1)
        let milliseconds = (lines.first?["duration_ms"] as? String).flatMap { Int($0) }
        #expect((milliseconds ?? 0) >= 300, "\(lines)")
        #expect(lines.first?["code"] as? String == "ok")
    }

    @Test("a unary RPC is recorded once with its code")
    func unary() async throws {
        let capture = LineCapture()
        try await withInProcessServer(services: [ProbeService()], identity: TestIdentity(), logger: capture.logger()) {
            client in
            let answer = try await client.probe(ProbeService.Method.echo, "hi")
            #expect(answer == "hi")
            _ = try? await client.probe(ProbeService.Method.fail, "gone")
        }
        #expect(finished(capture, "alpha.test.Probe/Echo").map { $0["code"] as? String } == ["ok"])
        #expect(finished(capture, "alpha.test.Probe/Fail").map { $0["code"] as? String } == ["notFound"])
    }
}
