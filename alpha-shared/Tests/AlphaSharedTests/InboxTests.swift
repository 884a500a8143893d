import AlphaCore
import AlphaOutbox
import AlphaPostgres
import AlphaTesting
import Foundation
import Logging
import PostgresNIO
import Testing

@Suite("Inbox: the receiver stores each message id once")
struct InboxTests {
    let fixture = OutboxFixture()
    let logger = Logger.quiet

    func withClient(_ body: @Sendable (PostgresClient) async throws -> Void) async throws {
        try await fixture.withClient(migrations: [.inbox], body)
    }

    func receive(_ id: UUID, _ client: PostgresClient) async throws -> Bool {
        let logger = self.logger
        return try await client.withTransaction(logger: logger) { connection in
            try await Inbox.receive(id, on: connection, logger: logger)
        }
    }

    @Test("the first receipt of an id is new, every repeat is not")
    func firstThenRepeat() async throws {
        try await withClient { client in
            let id = Outbox.newMessageID()
            let receipts = [
                try await receive(id, client), try await receive(id, client), try await receive(id, client),
                try await receive(Outbox.newMessageID(), client),
            ]
            #expect(receipts == [true, false, false, true])
        }
    }

    @Test("a receipt whose transaction rolls back is not kept, so the redelivery does the work")
    func rolledBackReceipt() async throws {
        struct WorkFailed: Error {}
        let logger = self.logger
        try await withClient { client in
            let id = Outbox.newMessageID()
            await #expect(throws: (any Error).self) {
                try await client.withTransaction(logger: logger) { connection in
                    #expect(try await Inbox.receive(id, on: connection, logger: logger))
                    throw WorkFailed()
                }
            }
            let redelivered = try await receive(id, client)
            #expect(redelivered)
        }
    }

    @Test("prune removes ids older than the given age and keeps the recent ones")
    func prune() async throws {
        let logger = self.logger
        try await withClient { client in
            let old = Outbox.newMessageID()
            let recent = Outbox.newMessageID()
            _ = try await receive(old, client)
            _ = try await receive(recent, client)
            _ = try await client.query(
                "UPDATE inbox_messages SET received_at = now() - interval '2 days' WHERE id = \(old)", logger: logger
            ).collect()
            #expect(try await Inbox.prune(olderThan: .seconds(86_400), client: client, logger: logger) == 1)
            #expect(try await receive(old, client))
            #expect(try await !receive(recent, client))
        }
    }
}

@Suite("Outbox relay configuration")
struct OutboxRelayConfigurationTests {
    @Test("unset variables give the documented defaults: 32 per batch, 60 s lease, retry for ever")
    func defaults() throws {
        let configuration = try OutboxRelayConfiguration(settings: .dictionary([:]))
        #expect(configuration == OutboxRelayConfiguration())
        #expect(configuration.batchSize == 32)
        #expect(configuration.lease == .seconds(60))
        #expect(configuration.deliveryTimeout == .seconds(15))
        #expect(configuration.pollInterval == .seconds(2))
        #expect(configuration.backoff == RetryBackoff(base: .seconds(1), maximum: .seconds(300)))
        #expect(configuration.maxAttempts == nil)
        #expect(configuration.listensForCommits)
    }

    @Test("OUTBOX_* variables set every value")
    func fromVariables() throws {
        let configuration = try OutboxRelayConfiguration(
            settings: .dictionary([
                "OUTBOX_BATCH_SIZE": "5", "OUTBOX_LEASE_SECONDS": "20", "OUTBOX_DELIVERY_TIMEOUT_SECONDS": "4",
                "OUTBOX_POLL_SECONDS": "0.5", "OUTBOX_BACKOFF_BASE_SECONDS": "3", "OUTBOX_BACKOFF_MAX_SECONDS": "90",
                "OUTBOX_MAX_ATTEMPTS": "12",
            ])
        )
        #expect(configuration.batchSize == 5)
        #expect(configuration.lease == .seconds(20))
        #expect(configuration.deliveryTimeout == .seconds(4))
        #expect(configuration.pollInterval == .milliseconds(500))
        #expect(configuration.backoff == RetryBackoff(base: .seconds(3), maximum: .seconds(90)))
        #expect(configuration.maxAttempts == 12)
    }

    @Test("a delivery timeout longer than the lease is cut to the lease")
    func timeoutWithinLease() throws {
        let configuration = try OutboxRelayConfiguration(
            settings: .dictionary(["OUTBOX_LEASE_SECONDS": "10", "OUTBOX_DELIVERY_TIMEOUT_SECONDS": "30"]))
        #expect(configuration.deliveryTimeout == .seconds(10))
    }

    @Test("a malformed value stops start-up, naming the variable")
    func malformed() {
        let error = #expect(throws: ConfigurationError.self) {
            try OutboxRelayConfiguration(settings: .dictionary(["OUTBOX_BATCH_SIZE": "many"]))
        }
        #expect(error?.description.contains("OUTBOX_BATCH_SIZE") == true)
    }
}
