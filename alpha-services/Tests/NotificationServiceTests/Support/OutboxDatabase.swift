import AlphaCore
import AlphaPostgres
import AlphaTesting
import Foundation
import Logging
import NotificationService
import PostgresNIO

/// A fresh, migrated `notification_service` schema in a database of its own, for one test.
struct OutboxDatabase: Sendable {
    let client: PostgresClient
    let outbox: PostgresMailOutbox

    /// Creates the database, applies the service's migrations and runs `body` with a client on it.
    static func with<T: Sendable>(_ body: @Sendable (OutboxDatabase) async throws -> T) async throws -> T {
        let database = try await TestPostgres.createDatabase()
        let settings = database.settings(schema: "notification_service", poolSize: 8)
        let logger = Logger.quiet
        return try await withPostgresClient(settings.clientConfiguration, logger: logger) { client in
            try await MigrationRunner(
                schema: "notification_service",
                migrations: NotificationServiceMigrations.all(),
                logger: logger
            ).run(on: client)
            return try await body(
                OutboxDatabase(client: client, outbox: PostgresMailOutbox(client: client, logger: logger)))
        }
    }

    /// One outbox row as the tests look at it.
    struct Row: Sendable {
        var kind: String
        var toAddress: String
        var username: String
        var code: String
        var state: String
        var attempts: Int
        var lastError: String?
        var sentAt: Date?
        var nextAttemptAt: Date
    }

    func row(_ id: UUID) async throws -> Row? {
        let rows = try await client.query(
            """
            SELECT kind, to_address, username, code, state::text, attempts, last_error, sent_at, next_attempt_at
            FROM mail_outbox WHERE mail_id = \(id)
            """,
            logger: .quiet
        )
        for try await (kind, to, username, code, state, attempts, lastError, sentAt, next) in rows.decode(
            (String, String, String, String, String, Int, String?, Date?, Date).self
        ) {
            return Row(
                kind: kind,
                toAddress: to,
                username: username,
                code: code,
                state: state,
                attempts: attempts,
                lastError: lastError,
                sentAt: sentAt,
                nextAttemptAt: next
            )
        }
        return nil
    }

    func state(_ id: UUID) async throws -> String? {
        try await row(id)?.state
    }

    func count() async throws -> Int {
        for try await count in try await client.query("SELECT count(*)::int8 FROM mail_outbox", logger: .quiet)
            .decode(Int.self)
        {
            return count
        }
        return 0
    }

    /// Queues a mail for `to` (unique per test mail) and returns it.
    @discardableResult
    func enqueue(
        _ kind: MailKind = .activationCode,
        to: String = "alice@example.org",
        username: String = "alice",
        code: String = "482913"
    ) async throws -> OutgoingMail {
        let mail = OutgoingMail(id: UUID(), kind: kind.rawValue, toAddress: to, username: username, code: code)
        try await outbox.enqueue(mail)
        return mail
    }

    /// Runs SQL the tests need to set a scene (ages, due times).
    func execute(_ query: PostgresQuery) async throws {
        _ = try await client.query(query, logger: .quiet).collect()
    }
}

extension Logger {
    /// A logger that drops everything, for plumbing in tests.
    static var quiet: Logger {
        Logger(label: "alpha-test", factory: { _ in SwiftLogNoOpLogHandler() })
    }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held. Tests wait for state this
/// way instead of sleeping a fixed time.
func eventually(
    timeout: Duration = .seconds(20),
    _ condition: @Sendable () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

extension DeliveryConfiguration {
    /// Small delays so retries happen within a test.
    static func fast(maxAttempts: Int = 10, batchSize: Int = 5) -> DeliveryConfiguration {
        DeliveryConfiguration(
            maxAttempts: maxAttempts,
            pollInterval: .milliseconds(20),
            backoff: RetryBackoff(base: .milliseconds(40), maximum: .milliseconds(200)),
            batchSize: batchSize,
            lease: .seconds(30),
            sendTimeout: .seconds(10)
        )
    }
}

/// Runs `worker` (its real loop) while `body` runs, then stops it.
func whileRunning<T: Sendable>(
    _ workers: [MailDeliveryWorker],
    _ body: @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for worker in workers {
            group.addTask { try await worker.run() }
        }
        defer { group.cancelAll() }
        return try await body()
    }
}
