import AlphaCore
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Delivers committed outbox messages to their topics, after commit, with retries — a `Service` that runs
/// in the process that enqueues them.
///
/// - **After commit only.** It reads `outbox_messages`, where a message appears when the enqueuing
///   transaction commits; it is woken at once by that commit (`LISTEN`/`NOTIFY`, on one pooled connection
///   of its own) and polls every ``OutboxRelayConfiguration/pollInterval`` as a fallback.
/// - **No lock while delivering.** A pass claims a batch in one short statement (`FOR UPDATE SKIP
///   LOCKED`, then a lease on each message), delivers outside any transaction, and records each outcome
///   in another short statement: delivered messages are deleted, failed attempts rescheduled with
///   exponential backoff and jitter, permanent failures (``OutboxPermanentFailure``) kept as failed.
/// - **Replica-safe.** Concurrent relays on one table claim disjoint messages, and a claimed message is
///   left alone until its lease runs out, so no two relays deliver one message at the same time. Delivery
///   is at-least-once: a relay that dies after the receiver accepted a message but before deleting it
///   delivers it again after the lease, with the same ``OutboxMessage/id``, which the receiver stores once.
/// - **Graceful shutdown** stops claiming, finishes the deliveries in flight and records them; whatever is
///   still waiting is delivered by the next start (or another replica).
///
/// Add it after the Postgres client and the clients its topics call, so it stops before them:
///
/// ```swift
/// try process.addOutboxRelay(client: postgres, topics: [
///     OutboxTopic("echo.said") { message in try await audit.record(message) }
/// ])
/// ```
public struct OutboxRelay: Service {
    private let store: OutboxStore
    private let topics: [String: OutboxTopic]
    private let configuration: OutboxRelayConfiguration
    private let metrics: OutboxMetrics
    private let logger: Logger
    private let wake = WakeSignal()

    /// A relay of `topics` (distinct names) from the outbox of the schema `client` connects to.
    public init(
        client: PostgresClient,
        topics: [OutboxTopic],
        configuration: OutboxRelayConfiguration = OutboxRelayConfiguration(),
        metrics: OutboxMetrics = OutboxMetrics(),
        logger: Logger
    ) {
        self.store = OutboxStore(client: client, logger: logger)
        self.topics = Dictionary(topics.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
    }

    /// Claims and delivers due messages until graceful shutdown, woken by commits (`NOTIFY`) or the poll interval.
    public func run() async throws {
        let names = topics.keys.sorted()
        logger.info(
            "outbox relay started",
            metadata: [
                "outbox.topics": "\(names.joined(separator: ","))", "outbox.batch_size": "\(configuration.batchSize)",
            ]
        )
        metrics.register(topics: names)
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                if configuration.listensForCommits {
                    group.addTask { await listenForCommits() }
                }
                await deliverUntilShutdown(topics: names)
                group.cancelAll()
            }
        } onGracefulShutdown: {
            wake.signal()
        }
        logger.info("outbox relay stopped")
    }

    // MARK: - The delivery loop

    private func deliverUntilShutdown(topics names: [String]) async {
        await BatchLoop(
            name: "outbox relay", batchSize: configuration.batchSize, pollInterval: configuration.pollInterval,
            logger: logger
        ).run(
            chores: [.init(every: configuration.statisticsInterval) { await refreshStatistics(topics: names) }],
            pass: { try await deliverDue(topics: names) },
            untilDue: { try await store.nextDue(topics: names) },
            wait: { await wake.wait(upTo: $0) }
        )
    }

    /// One pass: claims up to a batch of due messages, delivers them concurrently, records the outcomes.
    /// Returns how many messages were claimed.
    private func deliverDue(topics names: [String]) async throws -> Int {
        let claimed = try await store.claim(limit: configuration.batchSize, topics: names, lease: configuration.lease)
        // Child tasks are not cancelled by a graceful shutdown: the deliveries in flight complete.
        await withTaskGroup(of: Void.self) { group in
            for message in claimed {
                guard let topic = topics[message.topic] else { continue }
                group.addTask { await deliver(message, to: topic) }
            }
        }
        return claimed.count
    }

    private func deliver(_ message: OutboxMessage, to topic: OutboxTopic) async {
        var logger = self.logger
        logger[metadataKey: "outbox.message_id"] = "\(message.id.uuidString.lowercased())"
        logger[metadataKey: "outbox.topic"] = "\(message.topic)"
        logger[metadataKey: "outbox.attempt"] = "\(message.attempt)"
        let outcome: Result<Void, any Error>
        do {
            try await withDeadline(configuration.deliveryTimeout) { try await topic.deliver(message) }
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        do {
            try await record(outcome, of: message, logger: logger)
        } catch {
            // The lease runs out and the message is claimed again; the receiver stores its id once.
            logger.error(
                "could not record the outcome of an outbox delivery",
                metadata: ["error": "\(String(reflecting: error))"]
            )
        }
    }

    private func record(_ outcome: Result<Void, any Error>, of message: OutboxMessage, logger: Logger) async throws {
        switch outcome {
        case .success:
            try await store.delete(message.id)
            metrics.delivered(topic: message.topic)
            logger.debug("outbox message delivered")
        case .failure(let failure as OutboxPermanentFailure):
            guard try await store.markFailed(message.id, attempt: message.attempt, error: failure.reason) else {
                return logSuperseded(failure, logger: logger)
            }
            metrics.failed(topic: message.topic)
            logger.error("outbox message rejected, not retrying", metadata: ["error": "\(failure.reason)"])
        case .failure(let error):
            let reason = String(describing: error)
            switch configuration.backoff.decision(
                afterAttempt: message.attempt, of: configuration.maxAttempts, reason: reason)
            {
            case .giveUp(let finalError):
                guard try await store.markFailed(message.id, attempt: message.attempt, error: finalError) else {
                    return logSuperseded(error, logger: logger)
                }
                metrics.failed(topic: message.topic)
                logger.error("outbox message failed", metadata: ["error": "\(finalError)"])
            case .retry(let delay):
                guard try await store.reschedule(message.id, attempt: message.attempt, after: delay, error: reason)
                else {
                    return logSuperseded(error, logger: logger)
                }
                metrics.retried(topic: message.topic)
                logger.warning(
                    "outbox message not delivered, will retry",
                    metadata: ["error": "\(reason)", "outbox.retry_in_seconds": "\(delay.inSeconds)"]
                )
            }
        }
    }

    /// This claim's lease ran out and the message was claimed again meanwhile: the newer claim decides.
    private func logSuperseded(_ error: any Error, logger: Logger) {
        logger.notice(
            "outbox delivery failed; outcome not recorded, a newer claim owns the message",
            metadata: ["error": "\(error)"]
        )
    }

    private func refreshStatistics(topics names: [String]) async {
        do {
            let statistics = try await store.statistics(topics: names)
            for name in names {
                metrics.pending(statistics[name] ?? OutboxTopicStatistics(), topic: name)
            }
        } catch {
            logger.warning(
                "could not read the outbox statistics", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    // MARK: - Wake-ups on commit

    /// Listens on the schema's outbox channel and wakes the loop on every notification; reconnects with
    /// backoff when the connection is lost (the poll covers the gap).
    private func listenForCommits() async {
        let clock = ContinuousClock()
        var failures = 0
        while !Task.isCancelled {
            let started = clock.now
            do {
                try await store.client.withConnection { connection in
                    let channel = try await channelName(on: connection)
                    try await connection.listen(on: channel) { notifications in
                        // Whatever committed while nobody listened is picked up by this pass.
                        wake.signal()
                        for try await _ in notifications {
                            wake.signal()
                        }
                    }
                }
            } catch {
                guard !Task.isCancelled else { return }
                logger.warning(
                    "outbox relay is not listening for commits; polling meanwhile",
                    metadata: ["error": "\(String(reflecting: error))"]
                )
            }
            // Listening ends only when its connection is lost: listen again, backing off while it keeps failing.
            failures = clock.now - started > .seconds(60) ? 1 : failures + 1
            let backoff = RetryBackoff(base: configuration.pollInterval, maximum: .seconds(30))
            try? await Task.sleep(for: backoff.delay(afterAttempt: failures))
        }
    }

    private func channelName(on connection: PostgresConnection) async throws -> String {
        let rows = try await connection.query("SELECT \(OutboxChannel.prefix) || current_schema()", logger: logger)
        for try await channel in rows.decode(String.self) {
            return channel
        }
        throw OutboxRelayError.noCurrentSchema
    }

    /// Runs `body`, cancelling it after `timeout`.
    private func withDeadline(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await body()
                return true
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            defer { group.cancelAll() }
            guard let finished = try await group.next(), finished else {
                throw OutboxRelayError.deliveryTimedOut(timeout)
            }
        }
    }
}

/// Why a relay could not deliver.
enum OutboxRelayError: Error, CustomStringConvertible {
    case deliveryTimedOut(Duration)
    case noCurrentSchema

    var description: String {
        switch self {
        case .deliveryTimedOut(let timeout): "delivery took longer than \(timeout)"
        case .noCurrentSchema: "the connection has no current schema (search_path)"
        }
    }
}
