/// What became of one attempt to deliver a claimed row, as the ``DeliveryWorker`` records it.
enum DeliveryOutcome: Sendable, Hashable {
    /// Accepted; the provider's message id, when it gave one, goes into the log line.
    case sent(providerID: String? = nil)
    /// A temporary failure: try again with backoff, not before `retryAfter` if given, until out of attempts.
    case retryable(reason: String, retryAfter: Duration? = nil)
    /// Refused for good: give this delivery up.
    case rejected(reason: String)
    /// The address is dead: delete it (``DeliveryQueue/prune(addressOf:)``).
    case gone(reason: String)
}

extension DeliveryOutcome {
    init(_ outcome: MailSendOutcome) {
        switch outcome {
        case .sent(let providerID): self = .sent(providerID: providerID)
        case .retryable(let reason): self = .retryable(reason: reason)
        case .rejected(let reason): self = .rejected(reason: reason)
        }
    }

    init(_ outcome: PushSendOutcome) {
        switch outcome {
        case .sent: self = .sent()
        case .retryable(let reason, let retryAfter): self = .retryable(reason: reason, retryAfter: retryAfter)
        case .rejected(let reason): self = .rejected(reason: reason)
        case .gone(let reason): self = .gone(reason: reason)
        }
    }
}

/// The counters and gauges a ``DeliveryWorker`` keeps (``MailMetrics``, ``PushMetrics``), by `kind`.
protocol DeliveryMetrics: Sendable {
    /// Creates every counter at zero, so dashboards and alerts see the series before the first event.
    func registerCounters()
    func sent(_ kind: String)
    func retried(_ kind: String)
    func failed(_ kind: String)
    func pruned(_ kind: String)
    func queue(_ statistics: DeliveryQueueStatistics)
}
