// The example of docs/new-service.md, compiled and run by the kit's test suite so the doc cannot rot.
//
// Each `BEGIN example: NAME` … `END example: NAME` region is shown in the doc, byte for byte (see
// NewServiceDocTests). In a real service the regions live in different files and targets of
// alpha-services; here they share one test module, the generated code of
// Tests/proto/alpha/echo/v1/echo.proto (Generated/) and the migration folder Migrations/.
import AlphaAuth
import AlphaCore
import AlphaGRPC
import AlphaOutbox
import AlphaPostgres
import AlphaRuntime
import AlphaTesting
import Foundation
import GRPCCore
import GRPCInProcessTransport
import GRPCNIOTransportHTTP2
import Logging
import PostgresNIO
import ServiceLifecycle
import Testing

// BEGIN example: handler
/// `alpha.echo.v1.Echo`: says a text back and counts how often the calling user has said it.
public struct EchoHandler {
    private let store: any EchoStore
    private let maxTextLength: Int

    public init(store: any EchoStore, maxTextLength: Int) {
        self.store = store
        self.maxTextLength = maxTextLength
    }
}

extension EchoHandler: Alpha_Echo_V1_Echo.SimpleServiceProtocol {
    public func say(
        request: Alpha_Echo_V1_SayRequest,
        context: ServerContext
    ) async throws -> Alpha_Echo_V1_SayResponse {
        let username = try Caller.requireUser()
        guard !request.text.isEmpty, request.text.count <= maxTextLength else {
            throw ServiceError(.invalidArgument, code: "ERR-001", message: "text is empty or too long")
        }
        let timesSaid = try await store.recordSaying(request.text, by: username)
        return .with {
            $0.text = request.text
            $0.timesSaid = Int64(timesSaid)
        }
    }
}
// END example: handler

// BEGIN example: store
/// Where the echo service keeps its counts.
public protocol EchoStore: Sendable {
    /// Records that `username` said `text` once more; returns how many times they have said it.
    func recordSaying(_ text: String, by username: String) async throws -> Int
}

/// The `echoes` table in the service's own schema (the connection's `search_path`).
public struct PostgresEchoStore: EchoStore {
    private let client: PostgresClient
    private let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func recordSaying(_ text: String, by username: String) async throws -> Int {
        let rows = try await client.query(
            """
            INSERT INTO echoes (username, text, times_said) VALUES (\(username), \(text), 1)
            ON CONFLICT (username, text) DO UPDATE SET times_said = echoes.times_said + 1
            RETURNING times_said
            """,
            logger: logger
        )
        for try await timesSaid in rows.decode(Int.self) {
            return timesSaid
        }
        throw ServiceError(.internal, code: "ERR-009", message: "upsert into echoes returned no row")
    }
}

/// The echo service's migrations: `Migrations/NNNN_name.sql`, shipped as a resource of this target.
public enum EchoServiceMigrations {
    public static func all() throws -> [Migration] {
        try Migration.load(bundle: .module)
    }
}
// END example: store

// BEGIN example: main
enum EchoServiceMain {
    static func main() async {
        await ServiceProcess.run(name: "echo-service", defaultAdminPort: 9105) { process in
            let maxTextLength = try process.settings.int("echo.max.text.length", default: 280, range: 1...10_000)
            let postgres = try process.addPostgres(
                defaultSchema: "echo_service",
                migrations: try EchoServiceMigrations.all()
            )
            let store = PostgresEchoStore(client: postgres, logger: process.logger)
            try process.addGRPCServer(
                defaultPort: 50055,
                services: [EchoHandler(store: store, maxTextLength: maxTextLength)]
            )
        }
    }
}
// END example: main

/// Not run: wiring of a process that calls the echo service (the doc's "Calling another service").
enum EchoCallerWiringExample {
    static func assemble(_ process: inout ProcessAssembly) throws
        -> Alpha_Echo_V1_Echo.Client<BalancingClientTransport>
    {
        // BEGIN example: client-wiring
        let echo = Alpha_Echo_V1_Echo.Client(
            wrapping: try process.addGRPCClient(urlKey: "echo.service.url", defaultTarget: "127.0.0.1:50055")
        )
        // END example: client-wiring
        return echo
    }
}

// BEGIN example: client-call
/// Says `text` through the echo service for the user of the RPC being handled.
func sayThroughEcho(_ text: String, echo: Alpha_Echo_V1_Echo.Client<some ClientTransport>) async throws -> Int64 {
    do {
        let response = try await ForwardedUserToken.$current.withValue(Caller.current?.userToken) {
            try await echo.say(.with { $0.text = text })
        }
        return response.timesSaid
    } catch let error as RPCError {
        // The echo service's ServiceError, with its kind and catalog code, when it threw one.
        if let domainError = ServiceError(remote: error) { throw domainError }
        throw error
    }
}
// END example: client-call

// BEGIN example: tests
@Suite("Echo service")
struct EchoServiceTests {
    /// One fresh database for the suite, on the test PostgreSQL that `make test` starts.
    static let database = Task { try await TestPostgres.createDatabase() }
    let identity = TestIdentity()

    /// Runs `body` with a client of the echo handler, served in-process behind the kit's interceptors,
    /// on the real database with the real migrations.
    func withEcho(
        _ body: @Sendable (Alpha_Echo_V1_Echo.Client<InProcessTransport.Client>) async throws -> Void
    ) async throws {
        let settings = try await Self.database.value.settings(schema: "echo_service")
        let logger = Logger(label: "echo-service-tests")
        try await withPostgresClient(settings.clientConfiguration, logger: logger) { postgres in
            try await MigrationRunner(schema: "echo_service", migrations: EchoServiceMigrations.all(), logger: logger)
                .run(on: postgres)
            let handler = EchoHandler(store: PostgresEchoStore(client: postgres, logger: logger), maxTextLength: 10)
            try await withInProcessServer(services: [handler], identity: identity) { client in
                try await body(Alpha_Echo_V1_Echo.Client(wrapping: client))
            }
        }
    }

    @Test("Say answers the text and counts how often each user said it")
    func countsPerUser() async throws {
        let alice = await identity.accessToken(for: "alice")
        let bob = await identity.accessToken(for: "bob")
        try await withEcho { echo in
            let first = try await ForwardedUserToken.$current.withValue(alice) {
                try await echo.say(.with { $0.text = "hello" })
            }
            let second = try await ForwardedUserToken.$current.withValue(alice) {
                try await echo.say(.with { $0.text = "hello" })
            }
            let bobs = try await ForwardedUserToken.$current.withValue(bob) {
                try await echo.say(.with { $0.text = "hello" })
            }
            #expect(first.text == "hello")
            #expect([first.timesSaid, second.timesSaid, bobs.timesSaid] == [1, 2, 1])
        }
    }

    @Test("an empty or too long text is invalidArgument ERR-001")
    func invalidText() async throws {
        let alice = await identity.accessToken(for: "alice")
        try await withEcho { echo in
            for text in ["", "far too long for ten"] {
                let error = await #expect(throws: RPCError.self) {
                    try await ForwardedUserToken.$current.withValue(alice) {
                        try await echo.say(.with { $0.text = text })
                    }
                }
                #expect(error?.code == .invalidArgument)
                #expect(error.flatMap(ServiceError.init(remote:))?.code == "ERR-001")
            }
        }
    }

    @Test("a call without a user token is unauthenticated")
    func needsUser() async throws {
        try await withEcho { echo in
            let error = await #expect(throws: RPCError.self) { try await echo.say(.with { $0.text = "hi" }) }
            #expect(error?.code == .unauthenticated)
        }
    }
}
// END example: tests

/// The doc's client-call example against the real echo handler.
@Suite("Echo service: calling it from another service")
struct EchoClientExampleTests {
    let identity = TestIdentity()

    @Test("sayThroughEcho forwards the caller's token and turns domain errors back into ServiceError")
    func forwardsAndMapsErrors() async throws {
        let settings = try await EchoServiceTests.database.value.settings(schema: "echo_client_example")
        let logger = Logger.quiet
        let token = await identity.accessToken(for: "carol")
        let identity = self.identity
        try await withPostgresClient(settings.clientConfiguration, logger: logger) { postgres in
            try await MigrationRunner(
                schema: "echo_client_example", migrations: EchoServiceMigrations.all(), logger: logger
            ).run(on: postgres)
            let handler = EchoHandler(store: PostgresEchoStore(client: postgres, logger: logger), maxTextLength: 10)
            try await withInProcessServer(services: [handler], identity: identity, logger: logger) { client in
                let echo = Alpha_Echo_V1_Echo.Client(wrapping: client)
                let caller = Caller(username: "carol", isService: false, userToken: token)
                let times = try await Caller.$current.withValue(caller) { try await sayThroughEcho("hey", echo: echo) }
                #expect(times == 1)
                let error = await #expect(throws: ServiceError.self) {
                    try await Caller.$current.withValue(caller) { try await sayThroughEcho("", echo: echo) }
                }
                #expect(error?.kind == .invalidArgument)
                #expect(error?.code == "ERR-001")
            }
        }
    }
}

// MARK: - The outbox: telling another service after the commit (docs/new-service.md section 7)

// BEGIN example: outbox-enqueue
/// Records a saying and, in the same transaction, the message that tells the audit service about it:
/// both are committed, or neither. The outbox relay delivers the message after the commit.
public struct AuditedEchoStore: EchoStore {
    private let client: PostgresClient
    private let outbox: Outbox
    private let logger: Logger

    public init(client: PostgresClient, outbox: Outbox = Outbox(), logger: Logger) {
        self.client = client
        self.outbox = outbox
        self.logger = logger
    }

    public func recordSaying(_ text: String, by username: String) async throws -> Int {
        try await client.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO echoes AS e (username, text, times_said) VALUES (\(username), \(text), 1)
                ON CONFLICT (username, text) DO UPDATE SET times_said = e.times_said + 1
                RETURNING times_said
                """,
                logger: logger
            )
            var timesSaid = 0
            for try await count in rows.decode(Int.self) { timesSaid = count }
            let saying = Alpha_Audit_V1_RecordSayingRequest.with {
                $0.username = username
                $0.text = text
            }
            try await outbox.enqueue(
                topic: "audit.saying",
                payload: try saying.serializedBytes() as [UInt8],
                on: connection,
                logger: logger
            )
            return timesSaid
        }
    }
}
// END example: outbox-enqueue

// BEGIN example: outbox-topic
/// Delivers the `audit.saying` messages of the echo service's outbox to the audit service, with the
/// message's stable id as the idempotency key. A message the audit service rejects as invalid can never
/// succeed: it is marked failed instead of being retried.
func auditTopic(_ audit: Alpha_Audit_V1_Audit.Client<some ClientTransport>) -> OutboxTopic {
    OutboxTopic("audit.saying") { message in
        guard var request = try? Alpha_Audit_V1_RecordSayingRequest(serializedBytes: message.payload) else {
            throw OutboxPermanentFailure("not a RecordSayingRequest")
        }
        request.messageID = message.id.uuidString.lowercased()
        do {
            _ = try await audit.recordSaying(request)
        } catch let error as RPCError where error.code == .invalidArgument {
            throw OutboxPermanentFailure(error.message)
        }
    }
}
// END example: outbox-topic

/// Not run: the echo service's wiring with the outbox (the doc's section 7).
enum EchoOutboxWiringExample {
    static func assemble(_ process: inout ProcessAssembly) async throws {
        // BEGIN example: outbox-wiring
        let postgres = try process.addPostgres(
            defaultSchema: "echo_service",
            migrations: try EchoServiceMigrations.all() + [.outbox]
        )
        let audit = Alpha_Audit_V1_Audit.Client(
            wrapping: try process.addGRPCClient(urlKey: "audit.service.url", defaultTarget: "127.0.0.1:50056")
        )
        try process.addOutboxRelay(client: postgres, topics: [auditTopic(audit)])
        let store = AuditedEchoStore(client: postgres, logger: process.logger)
        // END example: outbox-wiring
        _ = store
    }
}

// BEGIN example: inbox-receive
/// `alpha.audit.v1.Audit`: a log of sayings that records each message once, however often it arrives.
public struct AuditHandler: Alpha_Audit_V1_Audit.SimpleServiceProtocol {
    private let postgres: PostgresClient
    private let logger: Logger

    public init(postgres: PostgresClient, logger: Logger) {
        self.postgres = postgres
        self.logger = logger
    }

    public func recordSaying(
        request: Alpha_Audit_V1_RecordSayingRequest,
        context: ServerContext
    ) async throws -> Alpha_Audit_V1_RecordSayingResponse {
        try Caller.requireService()
        guard let id = UUID(uuidString: request.messageID), !request.text.isEmpty else {
            throw ServiceError(.invalidArgument, code: "ERR-001", message: "needs a UUID message_id and a text")
        }
        let logger = self.logger
        try await postgres.withTransaction(logger: logger) { connection in
            // A repeat is answered as a success without doing the work again, so the sender stops retrying.
            guard try await Inbox.receive(id, on: connection, logger: logger) else { return }
            try await connection.query(
                "INSERT INTO sayings (username, text) VALUES (\(request.username), \(request.text))",
                logger: logger
            )
        }
        return Alpha_Audit_V1_RecordSayingResponse()
    }
}

/// The audit service's migrations: its own table, and the kit's inbox of handled message ids.
public enum AuditServiceMigrations {
    public static let all = [
        Migration(version: 1, name: "create_sayings", sql: "CREATE TABLE sayings (username text, text text);"),
        .inbox,
    ]
}
// END example: inbox-receive

/// The doc's outbox example end to end: the echo store, the relay with `auditTopic`, the audit handler.
@Suite("Echo service: telling the audit service through the outbox")
struct EchoOutboxExampleTests {
    let identity = TestIdentity()
    let logger = Logger.quiet

    func sayings(_ audit: PostgresClient) async throws -> [String] {
        var texts: [String] = []
        for try await text in try await audit.query("SELECT text FROM sayings ORDER BY text", logger: logger)
            .decode(String.self)
        {
            texts.append(text)
        }
        return texts
    }

    @Test("each saying reaches the audit service after the commit and is recorded once, even when delivered twice")
    func sayingsAreAuditedOnce() async throws {
        let database = try await EchoServiceTests.database.value
        let (logger, identity) = (self.logger, self.identity)
        try await withPostgresClient(database.settings(schema: "echo_outbox").clientConfiguration, logger: logger) {
            echoDatabase in
            try await MigrationRunner(
                schema: "echo_outbox", migrations: EchoServiceMigrations.all() + [.outbox], logger: logger
            ).run(on: echoDatabase)
            try await withPostgresClient(database.settings(schema: "audit").clientConfiguration, logger: logger) {
                auditDatabase in
                try await MigrationRunner(schema: "audit", migrations: AuditServiceMigrations.all, logger: logger)
                    .run(on: auditDatabase)
                let handler = AuditHandler(postgres: auditDatabase, logger: logger)
                try await withInProcessServer(services: [handler], identity: identity, logger: logger) { client in
                    let topic = auditTopic(Alpha_Audit_V1_Audit.Client(wrapping: client))
                    let store = AuditedEchoStore(client: echoDatabase, logger: logger)
                    #expect(try await store.recordSaying("hello", by: "alice") == 1)
                    #expect(try await store.recordSaying("hello", by: "alice") == 2)
                    #expect(try await sayings(auditDatabase).isEmpty, "nothing is delivered without a relay")

                    let relay = OutboxRelay(client: echoDatabase, topics: [topic], logger: logger)
                    let group = ServiceGroup(services: [relay], logger: logger)
                    try await withThrowingTaskGroup(of: Void.self) { tasks in
                        tasks.addTask { try await group.run() }
                        try await eventually("both sayings are audited") {
                            try await sayings(auditDatabase) == ["hello", "hello"]
                        }
                        await group.triggerGracefulShutdown()
                    }

                    // A second delivery of one message (a relay that lost its lease) is recorded once.
                    let message = OutboxMessage(
                        id: Outbox.newMessageID(), topic: "audit.saying",
                        payload: try Alpha_Audit_V1_RecordSayingRequest.with { $0.text = "once" }.serializedBytes(),
                        createdAt: Date(), attempt: 1
                    )
                    try await topic.deliver(message)
                    try await topic.deliver(message)
                    #expect(try await sayings(auditDatabase) == ["hello", "hello", "once"])
                }
            }
        }
    }

    @Test("a message the audit service rejects as invalid, or that cannot be read, is a permanent failure")
    func rejectedIsPermanent() async throws {
        let (logger, identity) = (self.logger, self.identity)
        let database = try await EchoServiceTests.database.value
        try await withPostgresClient(database.settings(schema: "audit_rejects").clientConfiguration, logger: logger) {
            auditDatabase in
            try await MigrationRunner(schema: "audit_rejects", migrations: AuditServiceMigrations.all, logger: logger)
                .run(on: auditDatabase)
            let handler = AuditHandler(postgres: auditDatabase, logger: logger)
            try await withInProcessServer(services: [handler], identity: identity, logger: logger) { client in
                let topic = auditTopic(Alpha_Audit_V1_Audit.Client(wrapping: client))
                for payload in [try Alpha_Audit_V1_RecordSayingRequest().serializedBytes(), [0xFF]] as [[UInt8]] {
                    let message = OutboxMessage(
                        id: Outbox.newMessageID(), topic: "audit.saying", payload: Data(payload), createdAt: Date(),
                        attempt: 1)
                    await #expect(throws: OutboxPermanentFailure.self) { try await topic.deliver(message) }
                }
                #expect(try await sayings(auditDatabase).isEmpty)
            }
        }
    }
}
