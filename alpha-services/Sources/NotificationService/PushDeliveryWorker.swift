import Foundation
import Logging
import ServiceLifecycle

/// Delivers queued pushes: claims due ones, sends web pushes concurrently and Expo pushes in batches of
/// up to 100, and records each outcome — sent, rescheduled with backoff, failed, or the subscription
/// pruned as dead.
///
/// Replica-safe like the mail worker (`FOR UPDATE SKIP LOCKED` + lease, see ``PushDeliveryQueue``), at
/// least once, nothing sent while a database lock is held. A push service outage only delays pushes: they
/// wait in the queue and are retried with backoff up to `maxAttempts`.
///
/// ```swift
/// process.add(PushDeliveryWorker(queue: queue, web: webSender, expo: expoSender,
///                                configuration: push.delivery, logger: process.logger))
/// ```
public struct PushDeliveryWorker: Service {
    private let queue: any PushDeliveryQueue
    private let web: any WebPushSending
    private let expo: any ExpoPushSending
    private let configuration: MailDeliveryConfiguration
    private let metrics: PushMetrics
    private let logger: Logger

    public init(
        queue: any PushDeliveryQueue,
        web: any WebPushSending,
        expo: any ExpoPushSending,
        configuration: MailDeliveryConfiguration,
        metrics: PushMetrics = PushMetrics(),
        logger: Logger
    ) {
        self.queue = queue
        self.web = web
        self.expo = expo
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        logger.info(
            "push delivery started",
            metadata: [
                "push.max_attempts": "\(configuration.maxAttempts)", "push.batch_size": "\(configuration.batchSize)",
            ]
        )
        metrics.registerCounters()
        await DeliveryLoop(configuration: configuration, logger: logger, subject: "push").run(
            pass: { try await deliverDue() },
            refreshStatistics: {
                do {
                    metrics.queue(try await queue.statistics())
                } catch {
                    logger.warning(
                        "could not read the push queue statistics", metadata: ["error": "\(String(reflecting: error))"])
                }
            },
            purge: {
                do {
                    let purged = try await queue.purgeFinished(olderThan: configuration.retention)
                    if purged > 0 { logger.info("purged old pushes", metadata: ["push.purged": "\(purged)"]) }
                } catch {
                    logger.warning("could not purge old pushes", metadata: ["error": "\(String(reflecting: error))"])
                }
            }
        )
        logger.info("push delivery stopped")
    }

    /// One pass: claims up to a batch of due pushes, sends them and records the outcomes.
    ///
    /// - Returns: how many pushes were claimed.
    @discardableResult
    public func deliverDue() async throws -> Int {
        let claimed = try await queue.claimDue(limit: configuration.batchSize, lease: configuration.lease)
        guard !claimed.isEmpty else { return 0 }
        var expoPushes: [(ClaimedPush, token: String)] = []
        await withTaskGroup(of: Void.self) { group in
            for push in claimed {
                switch push.target {
                case .web(let endpoint, let p256dh, let auth, let expiresAt):
                    group.addTask {
                        let outcome: PushSendOutcome
                        if let expiresAt, expiresAt < Date() {
                            outcome = .gone(reason: "subscription expired")
                        } else {
                            outcome = await web.send(
                                payload: push.content.payload, endpoint: endpoint, p256dh: p256dh, auth: auth)
                        }
                        await record(outcome, of: push)
                    }
                case .expo(let token):
                    expoPushes.append((push, token))
                }
            }
            for start in stride(from: 0, to: expoPushes.count, by: expo.maxBatchSize) {
                let batch = Array(expoPushes[start..<min(start + expo.maxBatchSize, expoPushes.count)])
                group.addTask {
                    let outcomes = await expo.send(batch.map { ExpoMessage(token: $0.token, content: $0.0.content) })
                    for (push, outcome) in zip(batch.map(\.0), outcomes) {
                        await record(outcome, of: push)
                    }
                }
            }
        }
        return claimed.count
    }

    private func record(_ outcome: PushSendOutcome, of push: ClaimedPush) async {
        var logger = self.logger
        logger[metadataKey: "push.id"] = "\(push.id.uuidString.lowercased())"
        logger[metadataKey: "push.kind"] = "\(push.kind)"
        logger[metadataKey: "push.attempt"] = "\(push.attempt)"
        logger[metadataKey: "notification.id"] = "\(push.notificationID.uuidString.lowercased())"
        do {
            switch outcome {
            case .sent:
                let marked = try await DeliveryLoop.withRecordRetries { try await queue.markSent(push.id) }
                metrics.sent(push.kind)
                logger.info(marked ? "push sent" : "push sent, but it was no longer queued")
            case .retryable(let reason, let retryAfter) where push.attempt < configuration.maxAttempts:
                let delay = max(configuration.backoff.delay(afterAttempt: push.attempt), retryAfter ?? .zero)
                guard
                    try await DeliveryLoop.withRecordRetries({
                        try await queue.reschedule(push.id, attempt: push.attempt, after: delay, error: reason)
                    })
                else { return }
                metrics.retried(push.kind)
                logger.warning(
                    "push not sent, will retry",
                    metadata: ["error": "\(reason)", "push.retry_in_seconds": "\(Int(delay.inSeconds.rounded()))"])
            case .retryable(let reason, _):
                let error = "gave up after \(push.attempt) attempts; last: \(reason)"
                guard
                    try await DeliveryLoop.withRecordRetries({
                        try await queue.markFailed(push.id, attempt: push.attempt, error: error)
                    })
                else { return }
                metrics.failed(push.kind)
                logger.error("push failed", metadata: ["error": "\(error)"])
            case .rejected(let reason):
                guard
                    try await DeliveryLoop.withRecordRetries({
                        try await queue.markFailed(push.id, attempt: push.attempt, error: reason)
                    })
                else { return }
                metrics.failed(push.kind)
                logger.error("push rejected, not retrying", metadata: ["error": "\(reason)"])
            case .gone(let reason):
                let pruned = try await DeliveryLoop.withRecordRetries {
                    try await queue.prune(subscription: push.subscriptionID)
                }
                if pruned { metrics.pruned(push.kind) }
                logger.notice(
                    "push subscription is dead, deleted it",
                    metadata: ["error": "\(reason)", "push.subscription_id": "\(push.subscriptionID)"])
            }
        } catch {
            logger.error(
                "could not record the outcome of a push",
                metadata: ["outcome": "\(outcome)", "error": "\(String(reflecting: error))"])
        }
    }
}
