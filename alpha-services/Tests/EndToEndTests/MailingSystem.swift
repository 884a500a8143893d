import AlphaServicesTesting
import AlphaTesting

/// Runs `body` against a fresh system (with `replicas`, see ``RunningSystem``) whose notification
/// service delivers to a fake Mailgun, and stops it and drops its database afterwards.
func withMailingSystem(
    replicas: [String: Int] = [:],
    extraEnvironment: [String: [String: String]] = [:],
    _ body: @Sendable (AccountClient, RunningSystem) async throws -> Void
) async throws {
    try await withFakeMailgun(domain: "mail.test.example") { mailgun in
        let database = try await TestPostgres.createDatabase()
        let system = try RunningSystem(replicas: replicas)
        system.extraEnvironment = extraEnvironment
        system.extraEnvironment["notification-service", default: [:]].merge([
            "MAILGUN_API_KEY": mailgun.apiKey, "MAILGUN_API_BASE": mailgun.apiBase,
            "MAILGUN_DOMAIN": "mail.test.example", "MAIL_POLL_SECONDS": "0.2",
        ]) { _, new in new }
        do {
            try await system.start(database: database)
            try await body(AccountClient(baseURL: system.gatewayURL, mailgun: mailgun), system)
        } catch {
            _ = await system.stop()
            try? await database.drop()
            throw error
        }
        _ = await system.stop()
        try await database.drop()
    }
}
