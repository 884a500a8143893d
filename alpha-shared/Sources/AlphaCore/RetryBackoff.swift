import Foundation

/// Exponential backoff with jitter, for anything retried against a dependency that may be down (the
/// outbox relay, mail delivery).
///
/// The delay after the n-th failed attempt is `base · 2^(n−1)`, capped at `maximum`, then shortened by a
/// random share of up to 25 % so that work that failed together (an outage) does not all come back at the
/// same instant.
///
/// ```swift
/// let backoff = RetryBackoff(base: .seconds(2), maximum: .seconds(1800))
/// backoff.delay(afterAttempt: 3) // 6–8 s
/// ```
public struct RetryBackoff: Sendable, Hashable {
    /// The delay after the first failure (before jitter).
    public var base: Duration
    /// The longest delay.
    public var maximum: Duration

    /// The share of the delay that jitter may take away.
    public static let jitterShare = 0.25

    /// A backoff starting at `base`, doubling up to `maximum` (raised to `base` when smaller).
    public init(base: Duration, maximum: Duration) {
        self.base = base
        self.maximum = max(base, maximum)
    }

    /// The delay after `attempt` failed attempts (1 = the first); `jitter` in `0..<1` picks how much of
    /// the jitter share is taken away (random unless given, for tests).
    public func delay(afterAttempt attempt: Int, jitter: Double = .random(in: 0..<1)) -> Duration {
        let exponent = Double(min(max(attempt, 1), 64) - 1)
        let nominal = min(Self.seconds(base) * pow(2, exponent), Self.seconds(maximum))
        let clampedJitter = min(max(jitter, 0), 1)
        return .seconds(nominal * (1 - Self.jitterShare * clampedJitter))
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
