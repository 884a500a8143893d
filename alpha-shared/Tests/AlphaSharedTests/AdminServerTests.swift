import AlphaCore
import AlphaHTTPAdmin
import Hummingbird
import HummingbirdTesting
import Metrics
import Prometheus
import Synchronization
import Testing

@Suite("Admin HTTP routes: /health/live, /health/ready, /metrics")
struct AdminServerTests {
    let registry = PrometheusCollectorRegistry()
    let readiness = Readiness()

    var application: some ApplicationProtocol {
        Application(router: AdminServer.makeRouter(registry: registry, readiness: readiness))
    }

    @Test("/health/live answers 200 while the process is up, even when draining")
    func live() async throws {
        let readiness = self.readiness
        try await application.test(.router) { client in
            try await client.execute(uri: "/health/live", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"live"}"#)
            }
            readiness.beginDraining()
            try await client.execute(uri: "/health/live", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("/health/ready answers 200, then 503 naming draining once shutdown begins")
    func readyThenDraining() async throws {
        let readiness = self.readiness
        try await application.test(.router) { client in
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                #expect(String(buffer: response.body) == #"{"status":"ready"}"#)
            }
            readiness.beginDraining()
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body) == #"{"status":"not_ready","failing":["draining"]}"#)
            }
        }
    }

    @Test("/health/ready answers 503 naming a failing check, and 200 once it passes again")
    func readyFollowsChecks() async throws {
        let database = Flag(false)
        readiness.addCheck("postgres") { database.value }
        try await application.test(.router) { client in
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body) == #"{"status":"not_ready","failing":["postgres"]}"#)
            }
            database.value = true
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("/metrics renders the registry in the Prometheus text format")
    func metrics() async throws {
        // Through swift-metrics, as the kit's RED metrics are, without bootstrapping the global system.
        let factory = PrometheusMetricsFactory(registry: registry)
        let counter = Metrics.Counter(
            label: "alpha_test_events_total", dimensions: [("kind", "probe")], factory: factory)
        counter.increment(by: 3)
        let direct = registry.makeGauge(name: "alpha_test_queue_depth")
        direct.set(Double(7))
        try await application.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                let text = String(buffer: response.body)
                #expect(text.contains("# TYPE alpha_test_events_total counter"))
                #expect(text.contains(#"alpha_test_events_total{kind="probe"} 3"#))
                #expect(text.contains("alpha_test_queue_depth 7"))
            }
        }
    }

    @Test("an unknown admin path is 404")
    func unknownPath() async throws {
        try await application.test(.router) { client in
            try await client.execute(uri: "/admin", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}

/// A thread-safe boolean a readiness check can read.
final class Flag: Sendable {
    private let storage: Mutex<Bool>
    init(_ value: Bool) { storage = .init(value) }
    var value: Bool {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
