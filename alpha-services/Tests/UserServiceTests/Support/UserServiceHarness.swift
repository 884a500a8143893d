import AlphaContracts
import AlphaCore
import AlphaGRPC
import AlphaOutbox
import AlphaPostgres
import AlphaTesting
import Foundation
import GRPCCore
import GRPCInProcessTransport
import Logging
import NotificationService
import PostgresNIO
import ServiceLifecycle
import UserService

/// The user service as it runs in production, minus the network: its three handlers behind the kit's
/// interceptor chain on the in-process transport, a fresh PostgreSQL database with the `user_service`
/// and `notification_service` schemas migrated, the user service's outbox relay delivering its mails, and
/// the real notification `MailHandler` + mail outbox receiving them. Time is a ``TestClock``; the mail
/// service can be switched off (``mailOutage``).
struct UserServiceHarness: Sendable {
    typealias Transport = InProcessTransport.Client

    let accounts: Alpha_User_V1_Accounts.Client<Transport>
    let users: Alpha_User_V1_Users.Client<Transport>
    let subscriptions: Alpha_User_V1_Subscriptions.Client<Transport>
    let sessions: Alpha_User_V1_Sessions.Client<Transport>
    let identity: TestIdentity
    let clock: TestClock
    /// While on, the notification service refuses every mail.
    let mailOutage: Shared<Bool>
    /// Every `SendMail` the notification service received, in order.
    let handOffs: Shared<[MailHandOff]>
    /// A client of the notification service's `Mail` (in-process, with the service credential).
    let mailClient: GRPCClient<Transport>
    /// search_path = user_service.
    let userDatabase: PostgresClient
    /// search_path = notification_service.
    let notificationDatabase: PostgresClient
    let logger: Logger

    static let password = "Secret#123"

    /// The user service's outbox relay as the tests run it: quick polls and short backoff.
    static let relayConfiguration = OutboxRelayConfiguration(
        batchSize: 8,
        lease: .seconds(30),
        deliveryTimeout: .seconds(5),
        pollInterval: .milliseconds(100),
        backoff: RetryBackoff(base: .milliseconds(50), maximum: .milliseconds(200))
    )

    /// Runs `body` against a fresh service and database. With `sendCredential: false` the client sends
    /// neither the service credential nor a forwarded token (identity tests pass metadata themselves).
    /// With `relaysMail: false` no outbox relay runs: mails stay in the user service's outbox until the
    /// test runs a relay itself.
    static func run<T: Sendable>(
        sendCredential: Bool = true,
        relaysMail: Bool = true,
        _ body: @Sendable (UserServiceHarness) async throws -> T
    ) async throws -> T {
        let logger = {
            var logger = Logger(label: "user-service-tests")
            logger.logLevel = .error
            return logger
        }()
        let database = try await TestPostgres.createDatabase(logger: logger)
        do {
            let result = try await run(
                on: database, sendCredential: sendCredential, relaysMail: relaysMail, logger: logger, body)
            try? await database.drop(logger: logger)
            return result
        } catch {
            try? await database.drop(logger: logger)
            throw error
        }
    }

    private static func run<T: Sendable>(
        on database: TestDatabase,
        sendCredential: Bool,
        relaysMail: Bool,
        logger: Logger,
        _ body: @Sendable (UserServiceHarness) async throws -> T
    ) async throws -> T {
        let userSettings = database.settings(schema: "user_service", poolSize: 5)
        let notificationSettings = database.settings(schema: "notification_service", poolSize: 2)
        return try await withPostgresClient(userSettings.clientConfiguration, logger: logger) { userDatabase in
            try await MigrationRunner(schema: "user_service", migrations: UserServiceMigrations.all(), logger: logger)
                .run(on: userDatabase)
            return try await withPostgresClient(notificationSettings.clientConfiguration, logger: logger) {
                notificationDatabase in
                try await MigrationRunner(
                    schema: "notification_service",
                    migrations: NotificationServiceMigrations.all(),
                    logger: logger
                ).run(on: notificationDatabase)

                let identity = TestIdentity()
                let clock = TestClock()
                let outage = Shared(false)
                let handOffs = Shared<[MailHandOff]>([])
                let mailService = SwitchableMailService(
                    handler: MailHandler(outbox: PostgresMailOutbox(client: notificationDatabase, logger: logger)),
                    outage: outage
                ) { request in
                    // What a reader outside the user service's transaction sees of the account right now.
                    var committed = false
                    if let rows = try? await userDatabase.query(
                        "SELECT count(*) FROM users WHERE username = \(request.username)", logger: logger
                    ).collect(), let count = try? rows.first?.decode(Int.self) {
                        committed = count == 1
                    }
                    handOffs.update { $0.append(MailHandOff(request: request, accountCommitted: committed)) }
                }
                return try await withInProcessServer(services: [mailService], identity: identity, logger: logger) {
                    mailClient in
                    let services = UserServiceHandlers.make(
                        postgres: userDatabase, refreshLifetime: identity.policy.refreshLifetime, clock: clock,
                        logger: logger)
                    let relays =
                        relaysMail
                        ? [
                            OutboxRelay(
                                client: userDatabase,
                                topics: [AccountMailDelivery(client: mailClient).topic],
                                configuration: relayConfiguration,
                                logger: logger
                            )
                        ] : []
                    return try await withServices(relays, logger: logger) {
                        try await withInProcessServer(
                            services: services,
                            identity: identity,
                            logger: logger,
                            sendCredential: sendCredential
                        ) { client in
                            try await body(
                                UserServiceHarness(
                                    accounts: Alpha_User_V1_Accounts.Client(wrapping: client),
                                    users: Alpha_User_V1_Users.Client(wrapping: client),
                                    subscriptions: Alpha_User_V1_Subscriptions.Client(wrapping: client),
                                    sessions: Alpha_User_V1_Sessions.Client(wrapping: client),
                                    identity: identity,
                                    clock: clock,
                                    mailOutage: outage,
                                    handOffs: handOffs,
                                    mailClient: mailClient,
                                    userDatabase: userDatabase,
                                    notificationDatabase: notificationDatabase,
                                    logger: logger
                                )
                            )
                        }
                    }
                }
            }
        }
    }

    // MARK: - Acting as someone

    /// Runs `body` with `username`'s access token forwarded on every call (as the gateway does).
    func asUser<T>(_ username: String, _ body: () async throws -> T) async rethrows -> T {
        try await ForwardedUserToken.$current.withValue(await identity.accessToken(for: username)) {
            try await body()
        }
    }

    // MARK: - Account flows

    @discardableResult
    func register(
        _ username: String,
        email: String? = nil,
        password: String = UserServiceHarness.password,
        nickname: String = ""
    ) async throws -> Alpha_User_V1_RegisterUserResponse {
        try await accounts.registerUser(
            .with {
                $0.username = username
                $0.email = email ?? "\(username)@example.org"
                $0.password = password
                $0.nickname = nickname
            }
        )
    }

    func activate(_ username: String, code: String) async throws -> Alpha_User_V1_ActivateUserResponse {
        try await accounts.activateUser(
            .with {
                $0.username = username
                $0.code = code
            }
        )
    }

    func login(_ username: String, password: String = UserServiceHarness.password) async throws
        -> Alpha_User_V1_CheckCredentialsResponse
    {
        try await accounts.checkCredentials(
            .with {
                $0.username = username
                $0.password = password
            }
        )
    }

    /// Registers `username` and activates it with the code read from its activation mail.
    func registerActivated(_ username: String, password: String = UserServiceHarness.password) async throws {
        try await register(username, password: password)
        let code = try await latestMail(to: username, kind: "activation_code").code
        _ = try await activate(username, code: code)
    }

    // MARK: - Reading what was stored

    /// A mail in the notification service's outbox.
    struct OutboxMail: Sendable, Hashable {
        var kind: String
        var toAddress: String
        var username: String
        var code: String
    }

    /// Every mail to `username` in the notification service's outbox, oldest first — read once the user
    /// service's outbox relay has delivered everything committed so far (at once during a mail outage).
    func mails(to username: String) async throws -> [OutboxMail] {
        if !mailOutage.value {
            try await waitUntilOutboxDelivered()
        }
        let rows = try await notificationDatabase.query(
            """
            SELECT kind, to_address, username, code FROM mail_outbox
            WHERE username = \(username) ORDER BY created_at
            """,
            logger: logger
        )
        var mails: [OutboxMail] = []
        for try await (kind, to, name, code) in rows.decode((String, String, String, String).self) {
            mails.append(OutboxMail(kind: kind, toAddress: to, username: name, code: code))
        }
        return mails
    }

    /// The newest mail of `kind` to `username`; fails when there is none.
    func latestMail(to username: String, kind: String) async throws -> OutboxMail {
        guard let mail = try await mails(to: username).last(where: { $0.kind == kind }) else {
            throw HarnessError("no \(kind) mail to \(username) in the outbox")
        }
        return mail
    }

    /// Waits (up to 10 s) until the user service's outbox holds no message waiting for delivery.
    func waitUntilOutboxDelivered() async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while try await pendingOutboxMessages() > 0 {
            guard ContinuousClock.now < deadline else {
                throw HarnessError("the user service's outbox still holds undelivered mail after 10 s")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// How many mails wait in the user service's outbox (not failed; this harness relays no notifications).
    func pendingOutboxMessages() async throws -> Int {
        let rows = try await userDatabase.query(
            "SELECT count(*) FROM outbox_messages WHERE failed_at IS NULL AND topic = \(AccountMail.outboxTopic)",
            logger: logger)
        for try await count in rows.decode(Int.self) {
            return count
        }
        return 0
    }

    /// How many rows `username` has in the user service's accounts and codes tables.
    struct StoredRows: Equatable, CustomStringConvertible {
        var users: Int
        var codes: Int
        var description: String { "users: \(users), codes: \(codes)" }
    }

    func storedRows(of username: String) async throws -> StoredRows {
        let rows = try await userDatabase.query(
            """
            SELECT (SELECT count(*) FROM users WHERE username = \(username)),
                   (SELECT count(*) FROM codes WHERE username = \(username))
            """,
            logger: logger
        )
        for try await (users, codes) in rows.decode((Int, Int).self) {
            return StoredRows(users: users, codes: codes)
        }
        return StoredRows(users: 0, codes: 0)
    }

    /// The stored code row of `username` for `purpose` (`activation` / `password_reset`).
    func storedCode(of username: String, purpose: String) async throws -> (
        code: String, expiresAt: Date, attempts: Int
    )? {
        let rows = try await userDatabase.query(
            """
            SELECT code, expires_at, attempts FROM codes
            WHERE username = \(username) AND purpose::text = \(purpose)
            """,
            logger: logger
        )
        for try await row in rows.decode((String, Date, Int).self) {
            return row
        }
        return nil
    }
}

/// One `SendMail` as the notification service received it.
struct MailHandOff: Sendable {
    var request: Alpha_Notification_V1_SendMailRequest
    /// Whether the account the mail is about was committed (visible to another connection) at that moment.
    var accountCommitted: Bool
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A different 6-digit code than `code`.
func wrongCode(for code: String) -> String {
    code == "123456" ? "654321" : "123456"
}
