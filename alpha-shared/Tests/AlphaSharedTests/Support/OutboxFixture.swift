import AlphaCore
import AlphaOutbox
import AlphaPostgres
import AlphaTesting
import Foundation
import Logging
import MetricsTestKit
import PostgresNIO
import ServiceLifecycle
import Synchronization
import Testing

/// One schema with the kit's outbox migration, on the suite's fresh database, and helpers to write
/// messages in transactions and to run relays the way a process runs them (in a `ServiceGroup`).
struct OutboxFixture {
    static let database = Task { try await TestPostgres.createDatabase() }

    let schema = "outbox_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
    let metrics = TestMetrics()
    let logger = Logger.quiet

    var outbox: Outbox { Outbox(metrics: OutboxMetrics(factory: metrics)) }

    /// Runs `body` with a client on a fresh schema that has the outbox table (or the given `migrations`).
    func withClient(
        migrations: [Migration] = [.outbox],
        _ body: @Sendable (PostgresClient) async throws -> Void
    ) async throws {
        let settings = try await Self.database.value.settings(schema: schema, poolSize: 4)
        let runner = MigrationRunner(schema: schema, migrations: migrations, logger: logger)
        try await withPostgresClient(settings.clientConfiguration, logger: logger) { client in
            try await runner.run(on: client)
            try await body(client)
        }
    }

    /// Enqueues `payload` for `topic` in a transaction of its own and commits.
    @discardableResult
    func enqueueCommitted(_ payload: String, topic: String = "greetings", on client: PostgresClient) async throws
        -> UUID
    {
        let outbox = self.outbox
        let logger = self.logger
        return try await client.withTransaction(logger: logger) { connection in
            try await outbox.enqueue(topic: topic, payload: Array(payload.utf8), on: connection, logger: logger)
        }
    }

    /// A relay of `topics` with test-friendly timings (short backoff, long poll so wake-ups are by commit).
    func relay(
        _ client: PostgresClient,
        topics: [OutboxTopic],
        configure: (inout OutboxRelayConfiguration) -> Void = { _ in }
    ) -> OutboxRelay {
        var configuration = OutboxRelayConfiguration(
            batchSize: 8,
            lease: .seconds(30),
            deliveryTimeout: .seconds(10),
            pollInterval: .milliseconds(200),
            backoff: RetryBackoff(base: .milliseconds(100), maximum: .milliseconds(400))
        )
        configure(&configuration)
        return OutboxRelay(
            client: client,
            topics: topics,
            configuration: configuration,
            metrics: OutboxMetrics(factory: metrics),
            logger: logger
        )
    }

    /// Runs `relays` in one service group while `body` runs, then shuts the group down gracefully and waits
    /// for the relays to return.
    func running(_ relays: [OutboxRelay], _ body: @Sendable () async throws -> Void) async throws {
        let group = ServiceGroup(services: relays, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body()
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// The rows still in the outbox: id → (attempts, failed, last error).
    func rows(_ client: PostgresClient) async throws -> [UUID: (attempts: Int, failed: Bool, lastError: String?)] {
        let rows = try await client.query(
            "SELECT id, attempts, failed_at IS NOT NULL, last_error FROM outbox_messages",
            logger: logger
        )
        var result: [UUID: (Int, Bool, String?)] = [:]
        for try await (id, attempts, failed, lastError) in rows.decode((UUID, Int, Bool, String?).self) {
            result[id] = (attempts, failed, lastError)
        }
        return result
    }

    func counter(_ label: String, topic: String = "greetings") -> Int64 {
        metrics.counterTotal(label: label, dimensions: [("topic", topic)])
    }
}

/// A receiver that records what it got and fails as told.
final class RecordingReceiver: Sendable {
    struct Delivery: Sendable {
        var message: OutboxMessage
        var at: ContinuousClock.Instant
    }

    private let state = Mutex<(deliveries: [Delivery], inFlight: Set<UUID>, overlaps: Int)>(([], [], 0))
    private let behaviour: @Sendable (OutboxMessage) async throws -> Void

    /// `behaviour` runs for each delivery: throw to fail it, sleep to make it slow.
    init(_ behaviour: @escaping @Sendable (OutboxMessage) async throws -> Void = { _ in }) {
        self.behaviour = behaviour
    }

    func topic(_ name: String = "greetings") -> OutboxTopic {
        OutboxTopic(name) { message in try await self.receive(message) }
    }

    private func receive(_ message: OutboxMessage) async throws {
        state.withLock { state in
            state.deliveries.append(Delivery(message: message, at: .now))
            if !state.inFlight.insert(message.id).inserted { state.overlaps += 1 }
        }
        defer { _ = state.withLock { $0.inFlight.remove(message.id) } }
        try await behaviour(message)
    }

    var deliveries: [Delivery] { state.withLock { $0.deliveries } }
    /// Deliveries of one id that started while another delivery of it was still running.
    var overlaps: Int { state.withLock { $0.overlaps } }

    func attempts(of id: UUID) -> [Delivery] { deliveries.filter { $0.message.id == id } }
}

struct ReceiverDown: Error, CustomStringConvertible {
    var description: String { "receiver unavailable" }
}
