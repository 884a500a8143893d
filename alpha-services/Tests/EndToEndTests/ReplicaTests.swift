import AlphaServicesTesting
import AlphaTesting
import Foundation
import NIOHTTP1
import Testing

/// Two replicas of the user and post services behind one gateway, as real processes: the gateway's
/// clients balance over both, a draining replica gets no new calls, and a replica stopped and started
/// again under load costs no request.
@Suite("Replicas behind the gateway", .serialized)
struct ReplicaTests {
    static let profileRead = "alpha.user.v1.Users/GetProfile"
    static let postCount = "alpha.post.v1.Posts/CountPosts"

    /// Runs `body` against a system with two replicas of the user and post services.
    func withReplicatedSystem(
        extraEnvironment: [String: [String: String]] = [:],
        _ body: @Sendable (AccountClient, RunningSystem) async throws -> Void
    ) async throws {
        try await withMailingSystem(
            replicas: ["user-service": 2, "post-service": 2], extraEnvironment: extraEnvironment, body)
    }

    @Test("profile reads spread evenly over both replicas of each service, per each replica's /metrics")
    func spread() async throws {
        try await withReplicatedSystem { client, system in
            let token = try await client.activatedUser("rita")
            let before = try await Counts(system)
            let requests = 40
            for _ in 0..<requests {
                let profile = try await client.call(.GET, "/api/users/rita", token: token)
                #expect(profile.status == 200, "\(profile.json)")
            }
            let delta = try await Counts(system) - before
            print("replica spread over \(requests) profile reads: \(delta.description)")
            for service in ["user-service", "post-service"] {
                let method = service == "user-service" ? Self.profileRead : Self.postCount
                let first = delta.calls[service]?[method] ?? 0
                let second = delta.calls["\(service)-2"]?[method] ?? 0
                #expect(first + second == requests, "\(service): every read answered once")
                // Round-robin: an even split, give or take the odd call a health change may move.
                #expect(abs(first - second) <= 4, "\(service): \(first) vs \(second)")
            }
        }
    }

    @Test("a replica reporting NOT_SERVING (draining) gets no new calls while it still listens")
    func drainingReplicaGetsNoCalls() async throws {
        // user-service-2 keeps serving for 10 s after SIGTERM while reporting NOT_SERVING (long enough for the
        // checks below even on a loaded machine).
        let slowDrain = ["user-service-2": ["DRAIN_DELAY_SECONDS": "10", "SHUTDOWN_GRACE_SECONDS": "15"]]
        try await withReplicatedSystem(extraEnvironment: slowDrain) { client, system in
            let token = try await client.activatedUser("nora")
            let process = try #require(system.running["user-service-2"])
            kill(process.processIdentifier, SIGTERM)
            // The health watch tells the gateway at once; give it a moment, then count.
            try await Task.sleep(for: .milliseconds(300))
            let (ready, _) = try await HTTP.get(
                "http://127.0.0.1:\(system.ports.admin["user-service-2"]!)/health/ready")
            #expect(ready == 503, "draining, and still listening")
            let before = try await Counts(system)
            for _ in 0..<20 {
                let profile = try await client.call(.GET, "/api/users/nora", token: token)
                #expect(profile.status == 200)
            }
            let delta = try await Counts(system) - before
            #expect(process.isRunning, "still within its drain delay")
            #expect(delta.calls["user-service-2"]?[Self.profileRead] ?? 0 == 0, "\(delta.description)")
            #expect(delta.calls["user-service"]?[Self.profileRead] ?? 0 == 20, "\(delta.description)")
            #expect(await system.stop("user-service-2") == 0)
        }
    }

    @Test("SIGTERM to one replica of each service under steady load fails no request; restarted, it serves again")
    func restartUnderLoad() async throws {
        try await withReplicatedSystem { client, system in
            let token = try await client.activatedUser("lena")
            let load = LoadTally()
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for _ in 0..<4 {
                    tasks.addTask {
                        while !load.isStopped {
                            let ok = (try? await client.call(.GET, "/api/users/lena", token: token).status) == 200
                            load.record(failed: !ok)
                        }
                    }
                }
                for name in ["user-service-2", "post-service"] {
                    try await Task.sleep(for: .milliseconds(700))
                    #expect(await system.stop(name) == 0, "\(name) exits 0 after its drain")
                    try await Task.sleep(for: .milliseconds(700))
                    let started = ContinuousClock.now
                    try await system.restart(name)
                    // Back in rotation: its own metrics show it answering the gateway again.
                    let method = name.hasPrefix("user") ? Self.profileRead : Self.postCount
                    try await waitFor("\(name) serving again") {
                        (try await Counts(system).calls[name]?[method] ?? 0) > 0
                    }
                    print("\(name) back in rotation \(ContinuousClock.now - started) after its restart began")
                }
                load.stop()
                try await tasks.waitForAll()
            }
            print("restart under load: \(load.calls) requests, \(load.failures) failed")
            #expect(load.calls > 50)
            #expect(load.failures == 0)
        }
    }
}

/// `grpc_server_requests_total` per process and method (all codes), read from each /metrics.
struct Counts: CustomStringConvertible {
    var calls: [String: [String: Int]] = [:]

    init(_ system: RunningSystem) async throws {
        for name in system.processNames where name != "api-gateway" && system.running[name] != nil {
            calls[name] = Self.parse(try await system.metrics(of: name))
        }
    }

    private init(calls: [String: [String: Int]]) { self.calls = calls }

    /// Sums `grpc_server_requests_total{...method="M"...} N` lines by method.
    static func parse(_ text: String) -> [String: Int] {
        var sums: [String: Int] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("grpc_server_requests_total{") {
            guard let start = line.range(of: "method=\""),
                let end = line[start.upperBound...].firstIndex(of: "\""),
                let value = line.split(separator: " ").last.flatMap({ Double($0) })
            else { continue }
            sums[String(line[start.upperBound..<end]), default: 0] += Int(value)
        }
        return sums
    }

    static func - (after: Counts, before: Counts) -> Counts {
        var calls: [String: [String: Int]] = [:]
        for (name, methods) in after.calls {
            for (method, count) in methods {
                calls[name, default: [:]][method] = count - (before.calls[name]?[method] ?? 0)
            }
        }
        return Counts(calls: calls)
    }

    var description: String {
        calls.keys.sorted().map { name in
            let methods = calls[name]!.filter { $0.key.contains("GetProfile") || $0.key.contains("CountPosts") }
            return
                "\(name) \(methods.sorted { $0.key < $1.key }.map { "\($0.key.split(separator: "/").last!)=\($0.value)" })"
        }.joined(separator: ", ")
    }
}

/// Polls `condition` every 100 ms for up to 20 s.
func waitFor(_ what: String, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(20)
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw SystemError("not within 20 s: \(what)") }
        try await Task.sleep(for: .milliseconds(100))
    }
}
