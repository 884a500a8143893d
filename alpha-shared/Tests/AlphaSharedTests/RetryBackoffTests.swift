import AlphaCore
import Testing

@Suite("Retry backoff")
struct RetryBackoffTests {
    let backoff = RetryBackoff(base: .seconds(2), maximum: .seconds(600))

    @Test("doubles from the base after each failed attempt")
    func doubles() {
        #expect(backoff.delay(afterAttempt: 1, jitter: 0) == .seconds(2))
        #expect(backoff.delay(afterAttempt: 2, jitter: 0) == .seconds(4))
        #expect(backoff.delay(afterAttempt: 5, jitter: 0) == .seconds(32))
    }

    @Test("never exceeds the maximum, however many attempts failed")
    func capped() {
        #expect(backoff.delay(afterAttempt: 10, jitter: 0) == .seconds(600))
        #expect(backoff.delay(afterAttempt: 1_000, jitter: 0) == .seconds(600))
    }

    @Test("jitter takes away at most a quarter of the delay")
    func jitterBounds() {
        #expect(backoff.delay(afterAttempt: 3, jitter: 1) == .seconds(6))
        for attempt in 1...20 {
            let nominal = backoff.delay(afterAttempt: attempt, jitter: 0)
            let delay = backoff.delay(afterAttempt: attempt)
            #expect(delay <= nominal)
            #expect(delay >= nominal * 0.75)
        }
    }

    @Test("random jitter spreads retries that failed together")
    func jitterSpreads() {
        let delays = Set((0..<50).map { _ in backoff.delay(afterAttempt: 4) })
        #expect(delays.count > 1)
    }

    @Test("a failed attempt is retried after the backoff, or a longer Retry-After, until the last attempt")
    func decision() {
        let first = backoff.decision(afterAttempt: 1, of: 3, reason: "503")
        guard case .retry(let delay) = first else { return #expect(Bool(false), "\(first)") }
        #expect(delay <= .seconds(2) && delay >= .seconds(1.5))
        #expect(
            backoff.decision(afterAttempt: 2, of: 3, reason: "429", notBefore: .seconds(90))
                == .retry(after: .seconds(90)))
        #expect(
            backoff.decision(afterAttempt: 3, of: 3, reason: "503")
                == .giveUp(reason: "gave up after 3 attempts; last: 503"))
        // Without a limit it never gives up.
        guard case .retry = backoff.decision(afterAttempt: 10_000, of: nil, reason: "503") else {
            return #expect(Bool(false))
        }
    }
}
