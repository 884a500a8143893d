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
        try await withRunningSystem(mailingThrough: mailgun, replicas: replicas, environment: { _ in extraEnvironment })
        { client, system, _ in
            try await body(client, system)
        }
    }
}

/// Runs `body` against a fresh system (with `replicas`) on a new database, its notification service mailing
/// through `mailgun` (polling every 0.2 s); `environment` adds settings per process (over the mail settings),
/// given the system for its addresses. The system is stopped and the database dropped afterwards, also when
/// `body` throws.
func withRunningSystem(
    mailingThrough mailgun: FakeMailgun,
    replicas: [String: Int] = [:],
    environment: (RunningSystem) -> [String: [String: String]] = { _ in [:] },
    _ body: @Sendable (AccountClient, RunningSystem, TestDatabase) async throws -> Void
) async throws {
    let database = try await TestPostgres.createDatabase()
    let system = try RunningSystem(replicas: replicas)
    system.extraEnvironment["notification-service"] = [
        "MAILGUN_API_KEY": mailgun.apiKey, "MAILGUN_API_BASE": mailgun.apiBase,
        "MAILGUN_DOMAIN": "mail.test.example", "MAIL_POLL_SECONDS": "0.2",
    ]
    system.extraEnvironment.merge(environment(system)) { $0.merging($1) { _, new in new } }
    do {
        try await system.start(database: database)
        try await body(AccountClient(baseURL: system.gatewayURL, mailgun: mailgun), system, database)
    } catch {
        _ = await system.stop()
        try? await database.drop()
        throw error
    }
    _ = await system.stop()
    try await database.drop()
}
