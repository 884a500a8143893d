import AlphaCore
import Foundation
import Logging
import ServiceLifecycle

/// Delivers the outbox: claims due mails, renders and sends them, and records each outcome — sent,
/// rescheduled with backoff, or failed after the last attempt or a permanent rejection.
///
/// Safe with any number of replicas: mails are claimed with `FOR UPDATE SKIP LOCKED` under a lease
/// (see ``MailDeliveryQueue``), and sent outside any transaction. Delivery is at-least-once and
/// idempotent per mail id: a mail recorded as sent is never sent again; the one window for a duplicate is
/// a worker that dies (or loses the database) between the provider's acceptance and the record.
///
/// On graceful shutdown it finishes the sends in flight and records them, then returns without claiming
/// more; whatever is still queued is delivered by the next worker. Add it after the Postgres client:
///
/// ```swift
/// process.add(MailDeliveryWorker(queue: outbox, sender: sender, from: mail.from, configuration: mail.delivery,
///                                logger: process.logger))
/// ```
public struct MailDeliveryWorker: Service {
    private let queue: any MailDeliveryQueue
    private let sender: any MailSender
    private let from: String
    private let configuration: MailDeliveryConfiguration
    private let metrics: MailMetrics
    private let logger: Logger

    public init(
        queue: any MailDeliveryQueue,
        sender: any MailSender,
        from: String,
        configuration: MailDeliveryConfiguration = MailDeliveryConfiguration(),
        metrics: MailMetrics = MailMetrics(),
        logger: Logger
    ) {
        self.queue = queue
        self.sender = sender
        self.from = from
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        logger.info(
            "mail delivery started",
            metadata: [
                "mail.sender": "\(sender.name)", "mail.max_attempts": "\(configuration.maxAttempts)",
                "mail.batch_size": "\(configuration.batchSize)",
            ]
        )
        metrics.registerCounters()
        await DeliveryLoop(configuration: configuration, logger: logger, subject: "mail").run(
            pass: { try await deliverDue() },
            refreshStatistics: { await refreshStatistics() },
            purge: { await purge() }
        )
        logger.info("mail delivery stopped")
    }

    /// One pass: claims up to a batch of due mails, sends them concurrently and records the outcomes.
    ///
    /// - Returns: how many mails were claimed.
    @discardableResult
    public func deliverDue() async throws -> Int {
        let claimed = try await queue.claimDue(
            limit: configuration.batchSize,
            kinds: MailKind.allCases,
            lease: configuration.lease
        )
        guard !claimed.isEmpty else { return 0 }
        // Concurrent, so that every send of the batch finishes within the send timeout and so well within
        // the lease. Child tasks are not cancelled by a graceful shutdown: in-flight sends complete.
        await withTaskGroup(of: Void.self) { group in
            for mail in claimed {
                group.addTask { await deliver(mail) }
            }
        }
        return claimed.count
    }

    private func deliver(_ mail: ClaimedMail) async {
        var logger = self.logger
        logger[metadataKey: "mail.id"] = "\(mail.id.uuidString.lowercased())"
        logger[metadataKey: "mail.kind"] = "\(mail.kind.rawValue)"
        logger[metadataKey: "mail.attempt"] = "\(mail.attempt)"

        let content: MailContent
        do {
            content = try MailTemplates.render(mail.kind, username: mail.username, code: mail.code)
        } catch {
            await record(.rejected(reason: "cannot render: \(error)"), of: mail, logger: logger)
            return
        }
        let message = MailMessage(
            id: mail.id,
            kind: mail.kind,
            from: from,
            to: mail.toAddress,
            subject: content.subject,
            text: content.text,
            html: content.html,
            code: mail.kind.carriesCode ? mail.code : ""
        )
        let started = ContinuousClock.now
        let outcome = await sender.send(message)
        metrics.sendDuration(ContinuousClock.now - started, outcome: outcome)
        await record(outcome, of: mail, logger: logger)
    }

    private func record(_ outcome: MailSendOutcome, of mail: ClaimedMail, logger: Logger) async {
        do {
            switch outcome {
            case .sent(let providerID):
                let marked = try await DeliveryLoop.withRecordRetries { try await queue.markSent(mail.id) }
                metrics.sent(mail.kind)
                logger.info(
                    marked ? "mail sent" : "mail sent, but it was no longer queued",
                    metadata: ["mail.provider_id": "\(providerID ?? "-")"]
                )
            case .retryable(let reason) where mail.attempt < configuration.maxAttempts:
                let delay = configuration.backoff.delay(afterAttempt: mail.attempt)
                guard
                    try await DeliveryLoop.withRecordRetries({
                        try await queue.reschedule(mail.id, attempt: mail.attempt, after: delay, error: reason)
                    })
                else { return logSuperseded(reason, logger: logger) }
                metrics.retried(mail.kind)
                logger.warning(
                    "mail not sent, will retry",
                    metadata: ["error": "\(reason)", "mail.retry_in_seconds": "\(Int(delay.inSeconds.rounded()))"]
                )
            case .retryable(let reason):
                let error = "gave up after \(mail.attempt) attempts; last: \(reason)"
                guard
                    try await DeliveryLoop.withRecordRetries({
                        try await queue.markFailed(mail.id, attempt: mail.attempt, error: error)
                    })
                else { return logSuperseded(reason, logger: logger) }
                metrics.failed(mail.kind)
                logger.error("mail failed", metadata: ["error": "\(error)"])
            case .rejected(let reason):
                guard
                    try await DeliveryLoop.withRecordRetries({
                        try await queue.markFailed(mail.id, attempt: mail.attempt, error: reason)
                    })
                else { return logSuperseded(reason, logger: logger) }
                metrics.failed(mail.kind)
                logger.error("mail rejected, not retrying", metadata: ["error": "\(reason)"])
            }
        } catch {
            // The lease runs out and the mail is claimed again; if it had been sent, it goes out twice.
            logger.error(
                "could not record the outcome of a mail delivery",
                metadata: ["outcome": "\(outcome)", "error": "\(String(reflecting: error))"]
            )
        }
    }

    /// This claim's lease ran out and the mail was claimed again (or sent) meanwhile: the newer claim decides.
    private func logSuperseded(_ reason: String, logger: Logger) {
        logger.notice(
            "mail not sent; outcome not recorded, a newer claim owns the mail", metadata: ["error": "\(reason)"])
    }

    private func refreshStatistics() async {
        do {
            metrics.queue(try await queue.statistics())
        } catch {
            logger.warning(
                "could not read the mail queue statistics", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    private func purge() async {
        do {
            let purged = try await queue.purgeFinished(olderThan: configuration.retention)
            if purged > 0 {
                logger.info("purged old mails from the outbox", metadata: ["mail.purged": "\(purged)"])
            }
        } catch {
            logger.warning("could not purge old mails", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}
