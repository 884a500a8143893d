import AlphaCore
import Metrics

/// The mail pipeline's metrics (swift-metrics; Prometheus on the admin port's `/metrics`).
///
/// | metric | type | labels | meaning |
/// |---|---|---|---|
/// | `mail_queued_total` | counter | `kind` | mails stored in the outbox (repeats of a stored id not counted) |
/// | `mail_sent_total` | counter | `kind` | mails the provider accepted |
/// | `mail_retried_total` | counter | `kind` | attempts that failed temporarily and were rescheduled |
/// | `mail_failed_total` | counter | `kind` | mails given up on (rejected, or out of attempts) |
/// | `mail_send_duration_seconds` | timer | `outcome` | time of one send (`sent`, `retryable`, `rejected`) |
/// | `mail_outbox_queued` | gauge | — | mails waiting for delivery |
/// | `mail_outbox_oldest_queued_seconds` | gauge | — | age of the oldest waiting mail (0 when none) |
public struct MailMetrics: DeliveryMetrics {
    private let factory: any MetricsFactory

    /// Metrics recorded with `factory` (by default the process's bootstrapped one).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// Creates every counter at zero, so dashboards and alerts (`increase(mail_failed_total[1h])`) see the
    /// series before the first event.
    func registerCounters() {
        for kind in MailKind.allCases {
            for label in ["mail_queued_total", "mail_sent_total", "mail_retried_total", "mail_failed_total"] {
                _ = counter(label, kind.rawValue)
            }
        }
    }

    func queued(_ kind: MailKind) {
        counter("mail_queued_total", kind.rawValue).increment()
    }

    func sent(_ kind: String) { counter("mail_sent_total", kind).increment() }
    func retried(_ kind: String) { counter("mail_retried_total", kind).increment() }
    func failed(_ kind: String) { counter("mail_failed_total", kind).increment() }
    /// A mail's address is never pruned (its queue fails the mail instead): counted as failed.
    func pruned(_ kind: String) { failed(kind) }

    func sendDuration(_ duration: Duration, outcome: MailSendOutcome) {
        let label: String =
            switch outcome {
            case .sent: "sent"
            case .retryable: "retryable"
            case .rejected: "rejected"
            }
        Timer(
            label: "mail_send_duration_seconds",
            dimensions: [("outcome", label)],
            preferredDisplayUnit: .seconds,
            factory: factory
        ).recordNanoseconds(duration.nanoseconds)
    }

    func queue(_ statistics: DeliveryQueueStatistics) {
        Gauge(label: "mail_outbox_queued", factory: factory).record(statistics.queued)
        Gauge(label: "mail_outbox_oldest_queued_seconds", factory: factory)
            .record(statistics.oldestQueuedAge?.inSeconds ?? 0)
    }

    private func counter(_ label: String, _ kind: String) -> Counter {
        Counter(label: label, dimensions: [("kind", kind)], factory: factory)
    }
}
