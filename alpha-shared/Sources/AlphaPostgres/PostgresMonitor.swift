import AlphaCore
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// The one connection of its own, outside the pool, through which ``PostgresAvailability`` watches the
/// database: a server that restarts or shuts down ends every session, so this connection closing signals
/// ``closed`` at once (no waiting for the next probe), and its `SELECT 1` never queues behind busy pooled
/// connections, so a slow moment under load is not taken for an outage. After it closed (or a ping failed)
/// the next ``ping()`` connects again; a refused connection fails that ping at once.
final class PostgresMonitor: Sendable {
    /// Signalled each time the connection closes, whoever closed it.
    let closed = WakeSignal()
    private let configuration: PostgresConnection.Configuration
    private let timeout: Duration
    private let logger: Logger
    private let connection = Mutex<PostgresConnection?>(nil)

    /// - Parameter timeout: the longest a ping (connecting included) may take.
    init(configuration: PostgresConnection.Configuration, timeout: Duration, logger: Logger) {
        var configuration = configuration
        configuration.options.connectTimeout = .nanoseconds(timeout.nanoseconds)
        self.configuration = configuration
        self.timeout = timeout
        self.logger = logger
    }

    /// Whether `SELECT 1` answers within the timeout, connecting first when there is no open connection.
    /// A failed ping closes the connection (ending a query stuck on a connection that died silently).
    func ping() async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await self.selectOne()) != nil }
            group.addTask {
                try? await Task.sleep(for: self.timeout)
                return false
            }
            let answered = await group.next() ?? false
            if !answered { close() }
            group.cancelAll()
            return answered
        }
    }

    /// Closes the connection, if any.
    func close() {
        let current = connection.withLock { connection in
            defer { connection = nil }
            return connection
        }
        current.map(Self.close)
    }

    /// Closes `connection`, keeping it alive until the channel has closed (postgres-nio asserts that a
    /// connection is closed before it goes away).
    private static func close(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    private func selectOne() async throws {
        let rows = try await openConnection().query("SELECT 1", logger: logger)
        for try await _ in rows {}
    }

    private func openConnection() async throws -> PostgresConnection {
        if let current = connection.withLock({ $0 }), !current.isClosed { return current }
        let new = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        let closed = closed
        new.closeFuture.whenComplete { _ in closed.signal() }
        let replaced = connection.withLock { connection in
            defer { connection = new }
            return connection
        }
        replaced.map(Self.close)
        return new
    }
}
