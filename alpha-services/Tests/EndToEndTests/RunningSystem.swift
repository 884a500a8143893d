import AlphaAuth
import AlphaServicesTesting
import AlphaTesting
import Foundation
import Testing

/// The five real executables, started against a fresh test database with throwaway keys.
///
/// Binaries come from `ALPHA_BIN_DIR` (what `make test` exports) or `.build/debug` beside the package.
/// Each process gets its own ports, chosen free at start, and logs to a file that is printed when a
/// start fails.
///
/// `replicas` starts more than one of a service: `["user-service": 2]` runs `user-service` and
/// `user-service-2` (each with its own ports), and every caller gets both addresses.
final class RunningSystem: @unchecked Sendable {
    struct Ports {
        var gatewayHTTP: Int
        var admin: [String: Int]
        var grpc: [String: Int]
    }

    /// The gRPC services, the processes (the gateway first) and their schemas: alpha-services/processes.tsv.
    static let services = ProcessTable.shared.services
    static let processes = ProcessTable.shared.processes
    static let schemas = ProcessTable.shared.schemas

    let ports: Ports
    /// Every process to start, replicas included (`user-service-2`), the gateway first.
    let processNames: [String]
    /// The executable of each process name.
    private let executables: [String: String]
    private var database: TestDatabase?
    /// Alpha's token policy, as its deployment sets it (`TOKEN_*` in scripts/lib.sh and the chart's values):
    /// the contract's `iss`, `aud` and lifetimes. The processes get it through ``identity``'s environment.
    static let alphaTokenPolicy = TokenPolicy(
        issuer: "alpha-api-gateway",
        audience: "server-alpha",
        accessLifetime: .seconds(24 * 3600),
        refreshLifetime: .seconds(7 * 24 * 3600)
    )
    let identity = TestIdentity(policy: RunningSystem.alphaTokenPolicy)
    /// The notification service's web-push key pair.
    let vapid = VAPIDTestKey()
    /// Extra environment per process (for example Mailgun settings for the notification service).
    var extraEnvironment: [String: [String: String]] = [:]
    let logDirectory: URL
    private(set) var running: [String: Process] = [:]

    init(replicas: [String: Int] = [:]) throws {
        var used = Set<Int>()
        func free() throws -> Int {
            while true {
                let port = try freePort()
                if used.insert(port).inserted { return port }
            }
        }
        var admin: [String: Int] = [:]
        var grpc: [String: Int] = [:]
        var names = ["api-gateway"]
        var executables = ["api-gateway": "api-gateway"]
        for service in Self.services {
            for replica in 1...max(1, replicas[service] ?? 1) {
                let name = replica == 1 ? service : "\(service)-\(replica)"
                names.append(name)
                executables[name] = service
            }
        }
        for name in names { admin[name] = try free() }
        for name in names where name != "api-gateway" { grpc[name] = try free() }
        ports = Ports(gatewayHTTP: try free(), admin: admin, grpc: grpc)
        processNames = names
        self.executables = executables
        logDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("alpha-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
    }

    static var binDirectory: URL {
        if let dir = ProcessInfo.processInfo.environment["ALPHA_BIN_DIR"] {
            return URL(fileURLWithPath: dir)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug")
    }

    /// Starts every process and waits until each admin server reports ready.
    func start(database: TestDatabase) async throws {
        self.database = database
        for name in processNames {
            try launch(name, database: database)
        }
        for name in processNames {
            try await waitUntilReady(name)
        }
    }

    /// Starts a stopped process again (same ports) and waits until it reports ready.
    func restart(_ name: String) async throws {
        guard let database else { throw SystemError("the system was never started") }
        try launch(name, database: database)
        try await waitUntilReady(name)
    }

    /// The `host:port` list of every replica of `service`, as callers are configured with it.
    func addresses(of service: String) -> String {
        processNames.filter { executables[$0] == service }
            .map { "127.0.0.1:\(ports.grpc[$0]!)" }
            .joined(separator: ",")
    }

    /// The process's Prometheus text from its admin server.
    func metrics(of name: String) async throws -> String {
        let (_, body) = try await HTTP.get("http://127.0.0.1:\(ports.admin[name]!)/metrics")
        return String(decoding: body, as: UTF8.self)
    }

    private func environment(for name: String, database: TestDatabase) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment.merge(identity.environment) { _, new in new }
        environment["LOG_LEVEL"] = "info"
        environment["ADMIN_HOST"] = "127.0.0.1"
        environment["ADMIN_PORT"] = "\(ports.admin[name]!)"
        environment["SHUTDOWN_GRACE_SECONDS"] = "5"
        // Twice the production deadline (3 s): a parallel test run of debug builds on two cores queues bcrypt
        // behind the other suites' registrations, and a register answered 500 ERR-009 at 3 s (seen in a
        // clean-clone CI run). The deadline's own behaviour is tested at a chosen deadline
        // (GatewayTests/UpstreamDeadlineTests); tests here that bound a wait assert their own figures.
        environment["RPC_TIMEOUT_SECONDS"] = "6"
        // A test installation: without a Mailgun key (tests that need mail add a fake one) mails go to the log.
        environment["ALPHA_ENV"] = "development"
        environment.removeValue(forKey: "MAILGUN_API_KEY")
        environment.removeValue(forKey: "OTEL_EXPORTER_OTLP_ENDPOINT")
        if let schema = Self.schemas[executables[name] ?? name] {
            environment.merge(database.environment(schema: schema)) { _, new in new }
            environment["GRPC_HOST"] = "127.0.0.1"
            environment["GRPC_PORT"] = "\(ports.grpc[name]!)"
        } else {
            environment["HTTP_HOST"] = "127.0.0.1"
            environment["HTTP_PORT"] = "\(ports.gatewayHTTP)"
        }
        // Every process is told where every service is (<PREFIX>_SERVICE_URL), as `make run` does.
        for row in ProcessTable.shared.rows where row.kind == "service" {
            environment["\(row.prefix)_SERVICE_URL"] = addresses(of: row.process)
        }
        environment.merge(vapid.environment) { _, new in new }
        environment.merge(extraEnvironment[name] ?? [:]) { _, new in new }
        return environment
    }

    private func launch(_ name: String, database: TestDatabase) throws {
        let executable = Self.binDirectory.appendingPathComponent(executables[name] ?? name)
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw SystemError("no executable at \(executable.path): run `swift build` first (make test does)")
        }
        let log = logDirectory.appendingPathComponent("\(name).log")
        if !FileManager.default.fileExists(atPath: log.path) {
            FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let process = Process()
        process.executableURL = executable
        process.environment = environment(for: name, database: database)
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        running[name] = process
    }

    private func waitUntilReady(_ name: String) async throws {
        let url = "http://127.0.0.1:\(ports.admin[name]!)/health/ready"
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let process = running[name], !process.isRunning {
                throw SystemError("\(name) exited with \(process.terminationStatus) at start-up:\n\(log(of: name))")
            }
            if let (status, _) = try? await HTTP.get(url), status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw SystemError("\(name) did not become ready in 60 s:\n\(log(of: name))")
    }

    /// The gateway's base URL.
    var gatewayURL: String { "http://127.0.0.1:\(ports.gatewayHTTP)" }

    /// Stops one process (SIGTERM) and waits for it to exit; its exit status (-1 when it had to be
    /// killed, `nil` when it was not running).
    @discardableResult
    func stop(_ name: String) async -> Int32? {
        guard let process = running.removeValue(forKey: name) else { return nil }
        process.terminate()
        return await Self.waitForExit(process)
    }

    /// Waits up to 20 s for `process` to exit, then kills it; its exit status, or -1 when killed.
    private static func waitForExit(_ process: Process) async -> Int32 {
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            return -1
        }
        return process.terminationStatus
    }

    /// Sends SIGTERM to every process and returns each exit status.
    func stop() async -> [String: Int32] {
        var statuses: [String: Int32] = [:]
        for (_, process) in running where process.isRunning {
            process.terminate()
        }
        for (name, process) in running {
            statuses[name] = await Self.waitForExit(process)
        }
        running = [:]
        return statuses
    }

    func log(of name: String) -> String {
        let text = (try? String(contentsOf: logDirectory.appendingPathComponent("\(name).log"), encoding: .utf8)) ?? ""
        return String(text.suffix(4000))
    }
}

struct SystemError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
