import AlphaCore

/// How an ``OutboxRelay`` claims, delivers and retries.
///
/// The defaults retry a message for as long as it takes (1 s doubling to 5 min between attempts), so a
/// receiver that is down for hours delays messages but loses none.
public struct OutboxRelayConfiguration: Sendable, Hashable {
    /// Messages claimed and delivered concurrently per pass (`OUTBOX_BATCH_SIZE`, default 32).
    public var batchSize: Int
    /// How long a claimed message stays reserved for the relay that claimed it; if that relay dies, another
    /// replica takes the message over after this time (`OUTBOX_LEASE_SECONDS`, default 60). Longer than
    /// ``deliveryTimeout``, so a live relay always finishes before its lease runs out.
    public var lease: Duration
    /// The longest one delivery may take before it is abandoned and retried (`OUTBOX_DELIVERY_TIMEOUT_SECONDS`,
    /// default 15; kept below ``lease``).
    public var deliveryTimeout: Duration
    /// The longest pause between looks at the outbox when no commit woke the relay
    /// (`OUTBOX_POLL_SECONDS`, default 2). Commits wake it at once through `LISTEN`/`NOTIFY`; the poll
    /// catches what a lost notification or another service's replica left behind.
    public var pollInterval: Duration
    /// Delays between attempts (`OUTBOX_BACKOFF_BASE_SECONDS` 1, `OUTBOX_BACKOFF_MAX_SECONDS` 300).
    public var backoff: RetryBackoff
    /// Attempts before a message is marked failed; `nil` retries for ever (`OUTBOX_MAX_ATTEMPTS`, default
    /// 0 = for ever).
    public var maxAttempts: Int?
    /// Whether the relay listens for commits (`NOTIFY`) on a connection of its own; `false` polls only.
    public var listensForCommits: Bool
    /// How often the pending/dead gauges are refreshed.
    public var statisticsInterval: Duration

    /// A configuration from explicit values (``init(settings:)`` reads them from `OUTBOX_*`).
    public init(
        batchSize: Int = 32,
        lease: Duration = .seconds(60),
        deliveryTimeout: Duration = .seconds(15),
        pollInterval: Duration = .seconds(2),
        backoff: RetryBackoff = RetryBackoff(base: .seconds(1), maximum: .seconds(300)),
        maxAttempts: Int? = nil,
        listensForCommits: Bool = true,
        statisticsInterval: Duration = .seconds(15)
    ) {
        self.batchSize = max(1, batchSize)
        self.lease = lease
        self.deliveryTimeout = min(deliveryTimeout, lease)
        self.pollInterval = pollInterval
        self.backoff = backoff
        self.maxAttempts = maxAttempts.map { max(1, $0) }
        self.listensForCommits = listensForCommits
        self.statisticsInterval = statisticsInterval
    }

    /// Reads the `OUTBOX_*` variables, with the defaults above for those that are unset.
    public init(settings: Settings) throws(ConfigurationError) {
        let defaults = OutboxRelayConfiguration()
        let maxAttempts = try settings.int("outbox.max.attempts", default: 0, range: 0...1_000_000)
        self.init(
            batchSize: try settings.int("outbox.batch.size", default: defaults.batchSize, range: 1...1000),
            lease: try settings.seconds("outbox.lease.seconds", default: defaults.lease),
            deliveryTimeout: try settings.seconds("outbox.delivery.timeout.seconds", default: defaults.deliveryTimeout),
            pollInterval: try settings.seconds("outbox.poll.seconds", default: defaults.pollInterval),
            backoff: RetryBackoff(
                base: try settings.seconds("outbox.backoff.base.seconds", default: defaults.backoff.base),
                maximum: try settings.seconds("outbox.backoff.max.seconds", default: defaults.backoff.maximum)
            ),
            maxAttempts: maxAttempts == 0 ? nil : maxAttempts
        )
    }
}
