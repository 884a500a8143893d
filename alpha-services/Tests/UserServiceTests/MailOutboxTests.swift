import AlphaContracts
import AlphaGRPC
import AlphaOutbox
import AlphaTesting
import Foundation
import GRPCCore
import PostgresNIO
import Testing
import UserService

/// Account mail leaves through the user service's transactional outbox: written with the account change,
/// handed to the notification service after the commit. A request that answered success is stored and its
/// mail follows, also when the notification service is down; a request whose transaction failed sends none.
@Suite("Account mail goes through the user service's outbox, after the commit")
struct MailOutboxTests {
    @Test(
        "registration succeeds while the notification service refuses mail; the mail waits and arrives once it is back")
    func registrationDuringOutage() async throws {
        try await UserServiceHarness.run { harness in
            harness.mailOutage.set(true)
            #expect(try await harness.register("alice").username == "alice")
            #expect(try await harness.storedRows(of: "alice") == UserServiceHarness.StoredRows(users: 1, codes: 1))
            try await eventually("the relay has tried and been refused twice") { harness.handOffs.value.count >= 2 }
            #expect(try await harness.pendingOutboxMessages() == 1)
            #expect(try await harness.mails(to: "alice").isEmpty)
            // A client that retries the registration learns that the first one went through.
            await expectError(.usernameTaken, status: .alreadyExists) { try await harness.register("alice") }

            harness.mailOutage.set(false)
            let mails = try await harness.mails(to: "alice")
            #expect(mails.map(\.kind) == ["activation_code"])
            #expect(mails.first?.code == (try await harness.storedCode(of: "alice", purpose: "activation"))?.code)
            #expect(try await harness.pendingOutboxMessages() == 0)
        }
    }

    @Test("resend, reset and activation succeed during the outage; each of their mails arrives once afterwards")
    func otherFlowsDuringOutage() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice")
            try await harness.waitUntilOutboxDelivered()
            harness.mailOutage.set(true)
            _ = try await harness.accounts.resendActivation(.with { $0.username = "alice" })
            let resent = try #require(try await harness.storedCode(of: "alice", purpose: "activation")).code
            let reset = try await harness.accounts.requestPasswordReset(.with { $0.username = "alice" })
            #expect(reset.maskedEmail.hasSuffix("@example.org"))
            #expect(try await harness.activate("alice", code: resent).username == "alice")
            #expect(try await harness.pendingOutboxMessages() == 3)

            harness.mailOutage.set(false)
            let mails = try await harness.mails(to: "alice")
            #expect(
                mails.map(\.kind).sorted() == ["activation_code", "activation_code", "password_reset_code", "welcome"])
            #expect(mails.filter { $0.kind == "activation_code" }.map(\.code).contains(resent))
            let resetCode = try #require(try await harness.storedCode(of: "alice", purpose: "password_reset")).code
            #expect(mails.first { $0.kind == "password_reset_code" }?.code == resetCode)
        }
    }

    @Test("the notification service is called only after the account change committed")
    func handOffAfterCommit() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("alice")
            try await harness.register("bob")
            _ = try await harness.accounts.resendActivation(.with { $0.username = "alice" })
            try await harness.waitUntilOutboxDelivered()
            let handOffs = harness.handOffs.value
            #expect(handOffs.map(\.request.username).sorted() == ["alice", "alice", "bob"])
            // Inside the transaction the account would not yet be visible to the notification side.
            #expect(handOffs.allSatisfy { $0.accountCommitted })
            // Each hand-off carries its outbox message's stable id as the mail id.
            #expect(Set(handOffs.map(\.request.mailID)).count == 3)
            #expect(handOffs.allSatisfy { UUID(uuidString: $0.request.mailID) != nil })
        }
    }

    @Test("a registration whose commit fails answers an error, stores nothing and sends no mail")
    func failedCommitSendsNothing() async throws {
        try await UserServiceHarness.run { harness in
            // A deferred constraint: checked at COMMIT, after the account, its code and its mail were written.
            for statement in [
                """
                CREATE FUNCTION refuse_doomed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.username = 'doomed' THEN RAISE EXCEPTION 'commit refused for the test'; END IF;
                    RETURN NEW;
                END $$
                """,
                """
                CREATE CONSTRAINT TRIGGER refuse_doomed AFTER INSERT ON users
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_doomed()
                """,
            ] {
                _ = try await harness.userDatabase.query(PostgresQuery(unsafeSQL: statement), logger: harness.logger)
                    .collect()
            }
            await expectStatus(.internalError) { try await harness.register("doomed") }
            #expect(try await harness.storedRows(of: "doomed") == UserServiceHarness.StoredRows(users: 0, codes: 0))
            #expect(try await harness.pendingOutboxMessages() == 0)

            // A registration that commits afterwards is mailed; the failed one never is.
            try await harness.register("alice")
            #expect(try await harness.mails(to: "alice").count == 1)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await harness.mails(to: "doomed").isEmpty)
            #expect(!harness.handOffs.value.contains { $0.request.username == "doomed" })
        }
    }

    @Test("with the notification service unreachable over HTTP/2, registration succeeds and its mail waits for it")
    func unreachableNotificationService() async throws {
        try await UserServiceHarness.run(relaysMail: false) { harness in
            // The production client (HTTP/2, credential, deadline) pointed at a port nobody listens on.
            let unreachable = try GRPCClientService(
                host: "127.0.0.1",
                port: 1,
                credential: harness.identity.credential,
                timeout: .seconds(2)
            )
            let relayToNowhere = OutboxRelay(
                client: harness.userDatabase,
                topics: [AccountMailDelivery(client: unreachable.client).topic],
                configuration: UserServiceHarness.relayConfiguration,
                logger: harness.logger
            )
            try await withServices([unreachable, relayToNowhere], logger: harness.logger) {
                #expect(try await harness.register("alice").username == "alice")
                try await eventually("the relay has tried to deliver the mail twice") {
                    try await harness.outboxAttempts().first?.attempts ?? 0 >= 2
                }
            }
            let waiting = try #require(try await harness.outboxAttempts().first)
            #expect(waiting.lastError != nil)
            #expect(harness.handOffs.value.isEmpty)

            // The notification service is back (a relay that reaches it): the mail is delivered once.
            let relay = OutboxRelay(
                client: harness.userDatabase,
                topics: [AccountMailDelivery(client: harness.mailClient).topic],
                configuration: UserServiceHarness.relayConfiguration,
                logger: harness.logger
            )
            try await withServices([relay], logger: harness.logger) {
                let kinds = try await harness.mails(to: "alice").map(\.kind)
                #expect(kinds == ["activation_code"])
            }
        }
    }

    @Test("a mail delivered twice with one id is stored once, and the repeat is a success")
    func repeatedDeliveryIsStoredOnce() async throws {
        try await UserServiceHarness.run(relaysMail: false) { harness in
            try await harness.register("alice")
            let message = try #require(try await harness.outboxMessages().first)
            let delivery = AccountMailDelivery(client: harness.mailClient)
            try await delivery.deliver(message)
            try await delivery.deliver(message)
            let rows = try await harness.notificationDatabase.query(
                "SELECT count(*) FROM mail_outbox WHERE mail_id = \(message.id)", logger: harness.logger
            ).collect()
            #expect(try rows.first?.decode(Int.self) == 1)
            #expect(harness.handOffs.value.count == 2)
        }
    }

    @Test("a message the notification service can never accept is a permanent failure, not retried")
    func permanentFailures() async throws {
        try await UserServiceHarness.run(relaysMail: false) { harness in
            let delivery = AccountMailDelivery(client: harness.mailClient)
            let garbage = OutboxMessage(
                id: Outbox.newMessageID(), topic: AccountMail.outboxTopic, payload: Data([0xFF, 0xFF, 0xFF]),
                createdAt: Date(), attempt: 1
            )
            await #expect(throws: OutboxPermanentFailure.self) { try await delivery.deliver(garbage) }

            let badAddress = Alpha_Notification_V1_SendMailRequest.with {
                $0.kind = .activationCode
                $0.toAddress = "not an address"
                $0.username = "alice"
                $0.code = "123456"
            }
            let rejected = OutboxMessage(
                id: Outbox.newMessageID(), topic: AccountMail.outboxTopic, payload: try badAddress.serializedBytes(),
                createdAt: Date(), attempt: 1
            )
            await #expect(throws: OutboxPermanentFailure.self) { try await delivery.deliver(rejected) }

            // A refusal because the service is down is not permanent: the relay retries it.
            harness.mailOutage.set(true)
            let valid = OutboxMessage(
                id: Outbox.newMessageID(), topic: AccountMail.outboxTopic,
                payload: try Alpha_Notification_V1_SendMailRequest.with {
                    $0.kind = .welcome
                    $0.toAddress = "alice@example.org"
                    $0.username = "alice"
                }.serializedBytes(),
                createdAt: Date(), attempt: 1
            )
            let error = await #expect(throws: RPCError.self) { try await delivery.deliver(valid) }
            #expect(error?.code == .unavailable)
        }
    }
}

extension UserServiceHarness {
    /// Attempts and last error of each message in the user service's outbox.
    func outboxAttempts() async throws -> [(attempts: Int, lastError: String?)] {
        let rows = try await userDatabase.query("SELECT attempts, last_error FROM outbox_messages", logger: logger)
        var result: [(Int, String?)] = []
        for try await row in rows.decode((Int, String?).self) { result.append(row) }
        return result
    }

    /// The messages in the user service's outbox, as a relay would claim them.
    func outboxMessages() async throws -> [OutboxMessage] {
        let rows = try await userDatabase.query(
            "SELECT id, topic, payload, created_at, attempts FROM outbox_messages ORDER BY created_at",
            logger: logger
        )
        var result: [OutboxMessage] = []
        for try await (id, topic, payload, createdAt, attempts) in rows.decode((UUID, String, Data, Date, Int).self) {
            result.append(
                OutboxMessage(id: id, topic: topic, payload: payload, createdAt: createdAt, attempt: attempts + 1))
        }
        return result
    }
}
