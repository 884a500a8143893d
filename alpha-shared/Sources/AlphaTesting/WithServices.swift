import Logging
import ServiceLifecycle

/// Runs `services` (outbox relays, background workers) in a `ServiceGroup` while `body` runs, then shuts
/// them down gracefully — as the process would at exit — and returns `body`'s result.
///
/// ```swift
/// let relay = OutboxRelay(client: postgres, topics: [delivery.topic], logger: logger)
/// try await withServices([relay], logger: logger) {
///     try await follow("alice", "bob")
/// }
/// ```
public func withServices<T: Sendable>(
    _ services: [any Service],
    logger: Logger,
    _ body: @Sendable () async throws -> T
) async throws -> T {
    guard !services.isEmpty else { return try await body() }
    let group = ServiceGroup(services: services, logger: logger)
    return try await withThrowingTaskGroup(of: T?.self) { tasks in
        tasks.addTask {
            try await group.run()
            return nil
        }
        let result: T
        do {
            result = try await body()
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return result
    }
}
