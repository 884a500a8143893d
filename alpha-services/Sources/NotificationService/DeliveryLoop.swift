import AlphaCore
import Logging
import ServiceLifecycle

/// The polling loop of a delivery worker (mail, push): runs passes until a graceful shutdown, refreshing
/// the queue gauges and purging old rows on their intervals, pausing when a pass found less than a full
/// batch, and backing off (up to 30 s) while passes fail — typically while the database is unreachable.
struct DeliveryLoop: Sendable {
    var configuration: MailDeliveryConfiguration
    var logger: Logger
    /// What the loop delivers, for log lines ("push", "mail").
    var subject: String

    func run(
        pass: () async throws -> Int,
        refreshStatistics: () async -> Void,
        purge: () async -> Void
    ) async {
        let clock = ContinuousClock()
        var nextStatistics = clock.now
        var nextPurge = clock.now
        var consecutiveFailures = 0
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            if clock.now >= nextStatistics {
                await refreshStatistics()
                nextStatistics = clock.now + configuration.statisticsInterval
            }
            if clock.now >= nextPurge {
                await purge()
                nextPurge = clock.now + configuration.purgeInterval
            }
            do {
                let claimed = try await pass()
                consecutiveFailures = 0
                // A full batch means more may be due right now.
                if claimed < configuration.batchSize {
                    await Self.pause(configuration.pollInterval)
                }
            } catch {
                consecutiveFailures += 1
                logger.error(
                    "\(subject) delivery pass failed",
                    metadata: [
                        "error": "\(String(reflecting: error))", "consecutive_failures": "\(consecutiveFailures)",
                    ]
                )
                let backoff = RetryBackoff(base: configuration.pollInterval, maximum: .seconds(30))
                await Self.pause(backoff.delay(afterAttempt: consecutiveFailures))
            }
        }
    }

    /// Sleeps, waking early for a graceful shutdown.
    static func pause(_ duration: Duration) async {
        try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: duration)
        }
    }

    /// Recording an outcome is retried briefly: losing the record of a sent message means sending it twice.
    static func withRecordRetries<T: Sendable>(_ operation: @Sendable () async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await operation()
            } catch {
                guard attempt < 3, !Task.isCancelled else { throw error }
                try? await Task.sleep(for: .milliseconds(200 * attempt))
                attempt += 1
            }
        }
    }
}
