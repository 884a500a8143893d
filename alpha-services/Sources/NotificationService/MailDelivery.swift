import Foundation
import Logging

/// A mail the delivery worker has claimed: reserved for it until its lease runs out.
public struct ClaimedMail: DeliveryClaim, Hashable {
    public var id: UUID
    public var kind: MailKind
    public var toAddress: String
    public var username: String
    public var code: String
    /// The number of this attempt (1 = the first); also the claim's fencing token.
    public var attempt: Int

    public init(id: UUID, kind: MailKind, toAddress: String, username: String, code: String, attempt: Int) {
        self.id = id
        self.kind = kind
        self.toAddress = toAddress
        self.username = username
        self.code = code
        self.attempt = attempt
    }

    public var kindLabel: String { kind.rawValue }
    public var logMetadata: Logger.Metadata { [:] }
}

/// Delivers the mail outbox: renders each claimed mail (``MailTemplates``) and sends it with the
/// ``MailSender``; a mail that cannot be rendered fails at once. The loop, retries and records are the
/// ``DeliveryWorker``'s. Add it after the Postgres client:
///
/// ```swift
/// process.add(MailDeliveryWorker(queue: outbox, sender: sender, from: mail.from, configuration: mail.delivery,
///                                logger: process.logger))
/// ```
public typealias MailDeliveryWorker = DeliveryWorker<ClaimedMail>

extension DeliveryWorker where Claim == ClaimedMail {
    /// A worker sending the mails of `queue` with `sender`, from `from` (`Name <address>`).
    public init(
        queue: any DeliveryQueue<ClaimedMail>,
        sender: any MailSender,
        from: String,
        configuration: DeliveryConfiguration = DeliveryConfiguration(),
        metrics: MailMetrics = MailMetrics(),
        logger: Logger
    ) {
        self.init(
            subject: "mail",
            queue: queue,
            configuration: configuration,
            metrics: metrics,
            startMetadata: ["mail.sender": "\(sender.name)"],
            logger: logger
        ) { claimed, record in
            await withTaskGroup(of: Void.self) { group in
                for mail in claimed {
                    group.addTask {
                        let outcome = await Self.send(mail, sender: sender, from: from, metrics: metrics)
                        await record(mail, outcome)
                    }
                }
            }
        }
    }

    private static func send(_ mail: ClaimedMail, sender: any MailSender, from: String, metrics: MailMetrics) async
        -> DeliveryOutcome
    {
        let content: MailContent
        do {
            content = try MailTemplates.render(mail.kind, username: mail.username, code: mail.code)
        } catch {
            return .rejected(reason: "cannot render: \(error)")
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
        return DeliveryOutcome(outcome)
    }
}
