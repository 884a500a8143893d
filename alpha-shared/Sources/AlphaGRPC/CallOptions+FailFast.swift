import GRPCCore

extension CallOptions {
    /// Options for a best-effort call whose durable copy lives elsewhere (an outbox relay retries it): it
    /// does not wait for an unreachable server to become ready and gives up after `timeout`, so the caller's
    /// own request never waits on it.
    public static func failFast(timeout: Duration) -> CallOptions {
        var options = CallOptions.defaults
        options.timeout = timeout
        options.waitForReady = false
        return options
    }
}
