import AlphaCore

extension DeliveryConfiguration {
    /// Reads a delivery configuration from the variables `{PREFIX}_MAX_ATTEMPTS`, `_POLL_SECONDS`,
    /// `_BACKOFF_BASE_SECONDS`, `_BACKOFF_MAX_SECONDS`, `_BATCH_SIZE`, `_LEASE_SECONDS`,
    /// `_SEND_TIMEOUT_SECONDS`, `_RETENTION_DAYS` (prefix `push` → `PUSH_…`), defaulting to `defaults`.
    init(settings: Settings, prefix: String, defaults: DeliveryConfiguration) throws(ConfigurationError) {
        func key(_ name: String) -> String { "\(prefix).\(name)" }
        func variable(_ name: String) -> String { Settings.variableName(for: key(name)) }
        let backoffBase = try settings.seconds(key("backoff.base.seconds"), default: defaults.backoff.base)
        let backoffMaximum = try settings.seconds(key("backoff.max.seconds"), default: defaults.backoff.maximum)
        guard backoffMaximum >= backoffBase else {
            throw .invalid(
                variable: variable("backoff.max.seconds"),
                reason: "must not be shorter than \(variable("backoff.base.seconds"))")
        }
        let lease = try settings.seconds(key("lease.seconds"), default: defaults.lease)
        let sendTimeout = try settings.seconds(key("send.timeout.seconds"), default: defaults.sendTimeout)
        guard lease > sendTimeout else {
            throw .invalid(
                variable: variable("lease.seconds"),
                reason: "must be longer than \(variable("send.timeout.seconds")), else a slow send could be "
                    + "taken over and sent twice"
            )
        }
        let retentionDays = Int((defaults.retention.inSeconds / 86_400).rounded())
        self.init(
            maxAttempts: try settings.int(key("max.attempts"), default: defaults.maxAttempts, range: 1...10_000),
            pollInterval: try settings.seconds(key("poll.seconds"), default: defaults.pollInterval),
            backoff: RetryBackoff(base: backoffBase, maximum: backoffMaximum),
            batchSize: try settings.int(key("batch.size"), default: defaults.batchSize, range: 1...500),
            lease: lease,
            sendTimeout: sendTimeout,
            retention: .seconds(
                86_400 * (try settings.int(key("retention.days"), default: retentionDays, range: 1...3650)))
        )
    }
}
