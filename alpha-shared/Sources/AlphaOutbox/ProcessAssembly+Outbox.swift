import AlphaCore
import PostgresNIO

extension ProcessAssembly {
    /// Adds an ``OutboxRelay`` of `topics` on `client`'s schema, configured by the `OUTBOX_*` variables
    /// (``OutboxRelayConfiguration/init(settings:)``). Call it after adding the Postgres client and the
    /// clients the topics call, so the relay stops before them.
    ///
    /// ```swift
    /// try process.addOutboxRelay(client: postgres, topics: [
    ///     OutboxTopic("echo.said") { message in try await audit.record(message) }
    /// ])
    /// ```
    public mutating func addOutboxRelay(
        client: PostgresClient,
        topics: [OutboxTopic],
        metrics: OutboxMetrics = OutboxMetrics()
    ) throws {
        let configuration = try OutboxRelayConfiguration(settings: settings)
        add(OutboxRelay(client: client, topics: topics, configuration: configuration, metrics: metrics, logger: logger))
    }
}
