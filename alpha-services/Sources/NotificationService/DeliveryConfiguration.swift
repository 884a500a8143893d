import AlphaCore

/// How a ``DeliveryWorker`` (mail: `MAIL_*`, push: `PUSH_*`) polls, retries and cleans up.
///
/// The defaults keep retrying a mail for about a day (60 attempts, 2 s doubling to 30 min) — longer than
/// a code lives — so an outage of the mail provider delays mail but does not lose it.
public struct DeliveryConfiguration: Sendable, Hashable {
    /// Attempts per mail before it is marked `failed` (`MAIL_MAX_ATTEMPTS`, default 60).
    public var maxAttempts: Int
    /// Pause between looks at the outbox when nothing is due (`MAIL_POLL_SECONDS`, default 1).
    public var pollInterval: Duration
    /// Delays between attempts (`MAIL_BACKOFF_BASE_SECONDS` 2, `MAIL_BACKOFF_MAX_SECONDS` 1800).
    public var backoff: RetryBackoff
    /// Mails claimed and sent concurrently per pass (`MAIL_BATCH_SIZE`, default 10).
    public var batchSize: Int
    /// How long a claimed mail stays reserved for the worker that claimed it; if that worker dies, another
    /// replica takes the mail over after this time (`MAIL_LEASE_SECONDS`, default 60). Longer than
    /// ``sendTimeout``, so a live worker always finishes before its lease runs out.
    public var lease: Duration
    /// Deadline of one request to the provider (`MAIL_SEND_TIMEOUT_SECONDS`, default 10;
    /// at most `SHUTDOWN_GRACE_SECONDS`, so a shutdown can wait for the send in flight).
    public var sendTimeout: Duration
    /// Sent and failed mails are deleted this long after they were queued (`MAIL_RETENTION_DAYS`, default 30).
    public var retention: Duration
    /// How often the queue gauges are refreshed.
    public var statisticsInterval: Duration
    /// How often old mails are purged.
    public var purgeInterval: Duration

    public init(
        maxAttempts: Int = 60,
        pollInterval: Duration = .seconds(1),
        backoff: RetryBackoff = RetryBackoff(base: .seconds(2), maximum: .seconds(1800)),
        batchSize: Int = 10,
        lease: Duration = .seconds(60),
        sendTimeout: Duration = .seconds(10),
        retention: Duration = .seconds(30 * 86_400),
        statisticsInterval: Duration = .seconds(15),
        purgeInterval: Duration = .seconds(3600)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.pollInterval = pollInterval
        self.backoff = backoff
        self.batchSize = max(1, batchSize)
        self.lease = lease
        self.sendTimeout = sendTimeout
        self.retention = retention
        self.statisticsInterval = statisticsInterval
        self.purgeInterval = purgeInterval
    }
}
