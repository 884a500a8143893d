import AlphaAuth
import AlphaPostgres
import AlphaTesting
import Foundation
import Logging
import Testing

/// A real service executable with a malformed setting stops before it has touched its database.
@Suite("Start-up: every setting is validated before any side effect", .serialized)
struct StartupValidationTests {
    @Test("user-service with GRPC_PORT=abc exits 1 naming GRPC_PORT, and its schema was never migrated")
    func malformedPortBeforeMigrations() async throws {
        let database = try await TestPostgres.createDatabase()
        defer { Task { try? await database.drop() } }
        let process = Process()
        process.executableURL = RunningSystem.binDirectory.appendingPathComponent("user-service")
        var environment = ProcessInfo.processInfo.environment
        environment.merge(TestIdentity(policy: RunningSystem.alphaTokenPolicy).environment) { _, new in new }
        environment.merge(database.environment(schema: "user_service")) { _, new in new }
        environment["ADMIN_HOST"] = "127.0.0.1"
        environment["ADMIN_PORT"] = "1"  // never bound: the process must stop before
        environment["GRPC_PORT"] = "abc"
        environment["ALPHA_ENV"] = "development"
        environment.removeValue(forKey: "OTEL_EXPORTER_OTLP_ENDPOINT")
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { process.terminate() }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 1)
        #expect(message.contains("GRPC_PORT"), "\(message)")
        let logger = Logger(label: "startup-validation-test")
        let schemas = try await withPostgresClient(
            database.settings(schema: "public").clientConfiguration, logger: logger
        ) { client in
            try await client.query("SELECT nspname FROM pg_namespace WHERE nspname = 'user_service'", logger: logger)
                .collect().count
        }
        #expect(schemas == 0, "the user service migrated its schema before reading GRPC_PORT")
    }
}
