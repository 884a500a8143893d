import AlphaServicesTesting
import AlphaTesting

/// Runs `body` against the five real processes on a fresh database, with the notification service
/// delivering mail to a fake Mailgun (so tests can read activation codes); stops everything afterwards.
func withMailgunSystem(_ body: @Sendable (AccountClient, RunningSystem) async throws -> Void) async throws {
    try await withFakeMailgun(domain: "mail.test.example") { mailgun in
        let database = try await TestPostgres.createDatabase()
        let system = try RunningSystem()
        system.extraEnvironment["notification-service"] = [
            "MAILGUN_API_KEY": mailgun.apiKey, "MAILGUN_API_BASE": mailgun.apiBase,
            "MAILGUN_DOMAIN": "mail.test.example", "MAIL_POLL_SECONDS": "0.2",
        ]
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
