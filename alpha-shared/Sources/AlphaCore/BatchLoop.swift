import Logging
import ServiceLifecycle

/// The loop of a worker that works through a queue in batches — the outbox relay, the notification
/// service's mail and push delivery: runs passes until a graceful shutdown (or cancellation), runs its
/// chores (gauges, clean-up) on their intervals, waits when a pass found less than a full batch, and
/// backs off (up to 30 s) while passes fail — typically while the database is unreachable; nothing is
/// lost meanwhile, the work waits in its table.
///
/// ```swift
/// await BatchLoop(name: "mail delivery", batchSize: 10, pollInterval: .seconds(1), logger: logger).run(
///     chores: [.init(every: .seconds(15)) { await refreshGauges() }],
///     pass: { try await deliverDue() },   // returns how many rows it claimed
///     wait: { await pause($0) }            // returns early on a graceful shutdown
/// )
/// ```
public struct BatchLoop: Sendable {
    /// Something done every `interval`, before the pass that is due then (and before the first).
    public struct Chore: Sendable {
        /// How often it runs.
        public var interval: Duration
        /// What it does; it reports its own errors.
        public var run: @Sendable () async -> Void

        /// A chore running `run` every `interval`.
        public init(every interval: Duration, run: @escaping @Sendable () async -> Void) {
            self.interval = interval
            self.run = run
        }
    }

    /// What the loop works on, for its log line (`outbox relay` logs `outbox relay pass failed`).
    public var name: String
    /// The most a pass takes; a pass that took this many goes again at once, as more may be due.
    public var batchSize: Int
    /// The longest wait between passes when nothing is due, and the first step of the failure backoff.
    public var pollInterval: Duration
    /// Where a failed pass is logged.
    public var logger: Logger

    /// A loop named `name` (for its log line) taking up to `batchSize` per pass, waiting at most `pollInterval`.
    public init(name: String, batchSize: Int, pollInterval: Duration, logger: Logger) {
        self.name = name
        self.batchSize = batchSize
        self.pollInterval = pollInterval
        self.logger = logger
    }

    /// Runs until a graceful shutdown or cancellation.
    ///
    /// - Parameters:
    ///   - chores: run on their intervals between passes.
    ///   - pass: one pass; returns how many items it took.
    ///   - untilDue: after a pass that was not full, how long until the next item is due (zero: go on at
    ///     once; `nil`: unknown, wait the poll interval). The wait is at most the poll interval.
    ///   - wait: waits the given time, returning early when there is reason to (a wake-up, a graceful shutdown).
    public func run(
        chores: [Chore] = [],
        pass: () async throws -> Int,
        untilDue: () async throws -> Duration? = { nil },
        wait: (Duration) async -> Void
    ) async {
        let clock = ContinuousClock()
        var nextChore = chores.map { _ in clock.now }
        var consecutiveFailures = 0
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            for (index, chore) in chores.enumerated() where clock.now >= nextChore[index] {
                await chore.run()
                nextChore[index] = clock.now + chore.interval
            }
            do {
                let taken = try await pass()
                consecutiveFailures = 0
                // A full batch means more may be due right now.
                guard taken < batchSize else { continue }
                let due = try await untilDue() ?? pollInterval
                guard due > .zero else { continue }
                await wait(min(due, pollInterval))
            } catch {
                consecutiveFailures += 1
                logger.error(
                    "\(name) pass failed",
                    metadata: [
                        "error": "\(String(reflecting: error))", "consecutive_failures": "\(consecutiveFailures)",
                    ]
                )
                let backoff = RetryBackoff(base: pollInterval, maximum: .seconds(30))
                await wait(backoff.delay(afterAttempt: consecutiveFailures))
            }
        }
    }
}
