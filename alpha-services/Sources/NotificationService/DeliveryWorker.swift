import AlphaCore
import Foundation
import Logging
import ServiceLifecycle

/// Delivers a ``DeliveryQueue`` — the mail outbox (``MailDeliveryWorker``) or the push deliveries
/// (``PushDeliveryWorker``): claims due rows, hands them to its sender, and records each outcome — sent,
/// rescheduled with backoff (not before a `Retry-After`), failed after the last attempt or a permanent
/// rejection, or the dead address pruned.
///
/// Safe with any number of replicas: rows are claimed with `FOR UPDATE SKIP LOCKED` under a lease, and
/// sent outside any transaction. Delivery is at-least-once and idempotent per row: a row recorded as sent
/// is never sent again; the one window for a duplicate is a worker that dies (or loses the database)
/// between the provider's acceptance and the record. A row claimed by a worker that dies is claimed
/// again when its lease runs out.
///
/// Its loop is the kit's ``BatchLoop`` (the outbox relay's too): it polls every `pollInterval` while less
/// than a full batch was due, refreshes the queue gauges and purges old rows on their intervals, and backs
/// off (up to 30 s) while passes fail. Retries follow ``RetryBackoff/decision(afterAttempt:of:reason:notBefore:)``,
/// as the relay's do. On graceful shutdown it finishes the sends in flight and records them, then
/// returns without claiming more; whatever is still queued is delivered by the next worker.
public struct DeliveryWorker<Claim: DeliveryClaim>: Service {
    /// Sends a batch of claims, calling `record` once per claim as soon as its outcome is known.
    typealias Send =
        @Sendable (_ claims: [Claim], _ record: @escaping @Sendable (Claim, DeliveryOutcome) async -> Void)
        async -> Void

    /// What it delivers, for log lines and their metadata keys (`mail`, `push`).
    private let subject: String
    private let queue: any DeliveryQueue<Claim>
    private let send: Send
    private let configuration: DeliveryConfiguration
    private let metrics: any DeliveryMetrics
    private let startMetadata: Logger.Metadata
    private let logger: Logger

    init(
        subject: String,
        queue: any DeliveryQueue<Claim>,
        configuration: DeliveryConfiguration,
        metrics: any DeliveryMetrics,
        startMetadata: Logger.Metadata = [:],
        logger: Logger,
        send: @escaping Send
    ) {
        self.subject = subject
        self.queue = queue
        self.send = send
        self.configuration = configuration
        self.metrics = metrics
        self.startMetadata = startMetadata
        self.logger = logger
    }

    public func run() async throws {
        logger.info(
            "\(subject) delivery started",
            metadata: startMetadata.merging(
                [
                    "\(subject).max_attempts": "\(configuration.maxAttempts)",
                    "\(subject).batch_size": "\(configuration.batchSize)",
                ],
                uniquingKeysWith: { own, _ in own })
        )
        metrics.registerCounters()
        await BatchLoop(
            name: "\(subject) delivery", batchSize: configuration.batchSize,
            pollInterval: configuration.pollInterval, logger: logger
        ).run(
            chores: [
                .init(every: configuration.statisticsInterval) { await refreshStatistics() },
                .init(every: configuration.purgeInterval) { await purge() },
            ],
            pass: { try await deliverDue() },
            wait: { await Self.pause($0) }
        )
        logger.info("\(subject) delivery stopped")
    }

    /// One pass: claims up to a batch of due rows, sends them and records the outcomes.
    ///
    /// - Returns: how many rows were claimed.
    @discardableResult
    public func deliverDue() async throws -> Int {
        let claimed = try await queue.claimDue(limit: configuration.batchSize, lease: configuration.lease)
        guard !claimed.isEmpty else { return 0 }
        // The sender sends concurrently, so that the whole batch finishes within the send timeout and so
        // well within the lease; a graceful shutdown does not cancel it: in-flight sends complete.
        await send(claimed) { claim, outcome in await record(outcome, of: claim) }
        return claimed.count
    }

    private func record(_ outcome: DeliveryOutcome, of claim: Claim) async {
        var logger = self.logger
        logger[metadataKey: "\(subject).id"] = "\(claim.id.uuidString.lowercased())"
        logger[metadataKey: "\(subject).kind"] = "\(claim.kindLabel)"
        logger[metadataKey: "\(subject).attempt"] = "\(claim.attempt)"
        for (key, value) in claim.logMetadata {
            logger[metadataKey: key] = value
        }
        let kind = claim.kindLabel
        do {
            switch outcome {
            case .sent(let providerID):
                let marked = try await Self.withRecordRetries { try await queue.markSent(claim.id) }
                metrics.sent(kind)
                logger.info(
                    marked ? "\(subject) sent" : "\(subject) sent, but it was no longer queued",
                    metadata: providerID.map { ["\(subject).provider_id": "\($0)"] } ?? [:]
                )
            case .retryable(let reason, let retryAfter):
                switch configuration.backoff.decision(
                    afterAttempt: claim.attempt, of: configuration.maxAttempts, reason: reason, notBefore: retryAfter)
                {
                case .retry(let delay):
                    guard
                        try await Self.withRecordRetries({
                            try await queue.reschedule(claim.id, attempt: claim.attempt, after: delay, error: reason)
                        })
                    else { return logSuperseded(reason, logger: logger) }
                    metrics.retried(kind)
                    logger.warning(
                        "\(subject) not sent, will retry",
                        metadata: [
                            "error": "\(reason)", "\(subject).retry_in_seconds": "\(Int(delay.inSeconds.rounded()))",
                        ]
                    )
                case .giveUp(let error):
                    guard
                        try await Self.withRecordRetries({
                            try await queue.markFailed(claim.id, attempt: claim.attempt, error: error)
                        })
                    else { return logSuperseded(reason, logger: logger) }
                    metrics.failed(kind)
                    logger.error("\(subject) failed", metadata: ["error": "\(error)"])
                }
            case .rejected(let reason):
                guard
                    try await Self.withRecordRetries({
                        try await queue.markFailed(claim.id, attempt: claim.attempt, error: reason)
                    })
                else { return logSuperseded(reason, logger: logger) }
                metrics.failed(kind)
                logger.error("\(subject) rejected, not retrying", metadata: ["error": "\(reason)"])
            case .gone(let reason):
                let pruned = try await Self.withRecordRetries { try await queue.prune(addressOf: claim) }
                if pruned { metrics.pruned(kind) }
                logger.notice("\(subject) subscription is dead, deleted it", metadata: ["error": "\(reason)"])
            }
        } catch {
            // The lease runs out and the row is claimed again; if it had been sent, it goes out twice.
            logger.error(
                "could not record the outcome of a \(subject) delivery",
                metadata: ["outcome": "\(outcome)", "error": "\(String(reflecting: error))"]
            )
        }
    }

    /// This claim's lease ran out and the row was claimed again (or sent) meanwhile: the newer claim decides.
    private func logSuperseded(_ reason: String, logger: Logger) {
        logger.notice(
            "\(subject) not sent; outcome not recorded, a newer claim owns it", metadata: ["error": "\(reason)"])
    }

    private func refreshStatistics() async {
        do {
            metrics.queue(try await queue.statistics())
        } catch {
            logger.warning(
                "could not read the \(subject) queue statistics",
                metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    private func purge() async {
        do {
            let purged = try await queue.purgeFinished(olderThan: configuration.retention)
            if purged > 0 {
                logger.info("purged old \(subject) deliveries", metadata: ["\(subject).purged": "\(purged)"])
            }
        } catch {
            logger.warning(
                "could not purge old \(subject) deliveries", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    /// Sleeps, waking early for a graceful shutdown.
    private static func pause(_ duration: Duration) async {
        try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: duration)
        }
    }

    /// Recording an outcome is retried briefly: losing the record of a sent row means sending it twice.
    private static func withRecordRetries<T: Sendable>(_ operation: @Sendable () async throws -> T)
        async throws -> T
    {
        var attempt = 1
        while true {
            do {
                return try await operation()
            } catch {
                guard attempt < 3, !Task.isCancelled else { throw error }
                try? await Task.sleep(for: .milliseconds(200 * attempt))
                attempt += 1
            }
        }
    }
}
