extension RetryBackoff {
    /// What to do with an item whose attempt failed temporarily (the outbox relay's messages, mails, pushes).
    public enum Decision: Sendable, Hashable {
        /// Try again after this delay.
        case retry(after: Duration)
        /// Out of attempts: give the item up, recording `reason`.
        case giveUp(reason: String)
    }

    /// After the failed attempt `attempt` (1 = the first) of at most `maxAttempts` (`nil`: no limit): retry
    /// after this backoff's delay — or after `notBefore` (a `Retry-After`) when that is longer — or, when
    /// it was the last attempt, give up with `gave up after N attempts; last: <reason>`.
    public func decision(afterAttempt attempt: Int, of maxAttempts: Int?, reason: String, notBefore: Duration? = nil)
        -> Decision
    {
        if let maxAttempts, attempt >= maxAttempts {
            return .giveUp(reason: "gave up after \(attempt) attempts; last: \(reason)")
        }
        return .retry(after: max(delay(afterAttempt: attempt), notBefore ?? .zero))
    }
}
