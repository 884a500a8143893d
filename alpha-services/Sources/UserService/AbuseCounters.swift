import Foundation

/// Fixed-window counters for the abuse limits, shared by every replica (the real one is in PostgreSQL).
public protocol AbuseCounters: Sendable {
    /// Counts one hit for `subject` in `scope` and returns the hits in the current window (this one
    /// included) and when the window started. A window older than `window` starts again at `now`.
    func hit(scope: String, subject: String, now: Date, window: Duration) async throws -> (hits: Int, since: Date)

    /// Takes one hit back (an attempt that turned out not to count, e.g. a correct password).
    func unhit(scope: String, subject: String) async throws

    /// Deletes the counters of `scope` whose subject is `subject` or starts with `subject` + `|`.
    func clear(scope: String, subject: String) async throws
}
