import Metrics

/// The outbox's metrics (swift-metrics; Prometheus on the admin port's `/metrics`), labelled by `topic`.
///
/// | metric | type | meaning |
/// |---|---|---|
/// | `outbox_enqueued_total` | counter | messages written (a transaction that rolls back afterwards counts too) |
/// | `outbox_delivered_total` | counter | messages the receiver accepted (then deleted from the outbox) |
/// | `outbox_retried_total` | counter | attempts that failed and were rescheduled with backoff |
/// | `outbox_failed_total` | counter | messages given up on (permanent failure, or out of attempts) |
/// | `outbox_pending` | gauge | committed messages waiting for delivery (including those being delivered) |
/// | `outbox_dead` | gauge | failed messages kept in the outbox for an operator |
/// | `outbox_oldest_pending_seconds` | gauge | age of the oldest waiting message (0 when none) |
public struct OutboxMetrics: Sendable {
    private let factory: any MetricsFactory

    /// Metrics recorded with `factory` (by default the process's bootstrapped one).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// Creates every series of `topics` at zero, so dashboards and alerts see them before the first event.
    func register(topics: [String]) {
        for topic in topics {
            for label in [
                "outbox_enqueued_total", "outbox_delivered_total", "outbox_retried_total", "outbox_failed_total",
            ] {
                _ = counter(label, topic)
            }
            pending(OutboxTopicStatistics(), topic: topic)
        }
    }

    func enqueued(topic: String) { counter("outbox_enqueued_total", topic).increment() }
    func delivered(topic: String) { counter("outbox_delivered_total", topic).increment() }
    func retried(topic: String) { counter("outbox_retried_total", topic).increment() }
    func failed(topic: String) { counter("outbox_failed_total", topic).increment() }

    func pending(_ statistics: OutboxTopicStatistics, topic: String) {
        Gauge(label: "outbox_pending", dimensions: [("topic", topic)], factory: factory).record(statistics.pending)
        Gauge(label: "outbox_dead", dimensions: [("topic", topic)], factory: factory).record(statistics.dead)
        Gauge(label: "outbox_oldest_pending_seconds", dimensions: [("topic", topic)], factory: factory)
            .record(statistics.oldestPendingSeconds)
    }

    private func counter(_ label: String, _ topic: String) -> Counter {
        Counter(label: label, dimensions: [("topic", topic)], factory: factory)
    }
}
