import AlphaCore
import Metrics

/// The notification and push pipeline's metrics (swift-metrics; Prometheus on the admin port).
///
/// | metric | type | labels | meaning |
/// |---|---|---|---|
/// | `notifications_stored_total` | counter | `type` | notifications stored (repeats of a received id not counted) |
/// | `push_queued_total` | counter | `kind` (`web`, `expo`) | pushes queued, one per subscription of the recipient |
/// | `push_sent_total` | counter | `kind` | pushes the push service accepted |
/// | `push_retried_total` | counter | `kind` | attempts that failed temporarily and were rescheduled |
/// | `push_failed_total` | counter | `kind` | pushes given up on (rejected, refused endpoint, out of attempts) |
/// | `push_pruned_total` | counter | `kind` | subscriptions deleted as dead (404/410, `DeviceNotRegistered`, bad keys) |
/// | `push_queue_queued` | gauge | — | pushes waiting for delivery |
/// | `push_queue_oldest_queued_seconds` | gauge | — | age of the oldest waiting push (0 when none) |
public struct PushMetrics: DeliveryMetrics {
    static let kinds = ["web", "expo"]
    private let factory: any MetricsFactory

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// Creates every counter at zero, so dashboards and alerts see the series before the first event.
    func registerCounters() {
        for kind in Self.kinds {
            for label in [
                "push_queued_total", "push_sent_total", "push_retried_total", "push_failed_total",
                "push_pruned_total",
            ] {
                _ = counter(label, kind)
            }
        }
        for type in NotificationType.allCases {
            _ = Counter(label: "notifications_stored_total", dimensions: [("type", type.rawValue)], factory: factory)
        }
    }

    func stored(_ type: NotificationType, _ storage: NotificationStorage) {
        guard storage.stored else { return }
        Counter(label: "notifications_stored_total", dimensions: [("type", type.rawValue)], factory: factory)
            .increment()
        if storage.queuedWeb > 0 { counter("push_queued_total", "web").increment(by: storage.queuedWeb) }
        if storage.queuedExpo > 0 { counter("push_queued_total", "expo").increment(by: storage.queuedExpo) }
    }

    func sent(_ kind: String) { counter("push_sent_total", kind).increment() }
    func retried(_ kind: String) { counter("push_retried_total", kind).increment() }
    func failed(_ kind: String) { counter("push_failed_total", kind).increment() }
    func pruned(_ kind: String) { counter("push_pruned_total", kind).increment() }

    func queue(_ statistics: DeliveryQueueStatistics) {
        Gauge(label: "push_queue_queued", factory: factory).record(statistics.queued)
        Gauge(label: "push_queue_oldest_queued_seconds", factory: factory)
            .record(statistics.oldestQueuedAge?.inSeconds ?? 0)
    }

    private func counter(_ label: String, _ kind: String) -> Counter {
        Counter(label: label, dimensions: [("kind", kind)], factory: factory)
    }
}
