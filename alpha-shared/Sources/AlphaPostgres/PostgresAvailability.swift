import AlphaCore
import Logging
import PostgresNIO
import ServiceLifecycle

/// Watches whether the process's PostgreSQL can serve, and tells the gRPC server (an ``AvailabilityGate``
/// and an ``ErrorTranslator``, both added by `addPostgres`), so a service whose database is down answers
/// `unavailable` at once instead of letting every RPC wait for a pooled connection until its deadline.
///
/// - A query that fails at the connection level (refused, closed, reset, pool closed, the server
///   shutting down: ``isConnectionFailure(_:)``) is answered `unavailable` with the catalog code and closes
///   the gate at once; a statement cancelled by `statement_timeout`, and a wait for a pooled connection
///   cancelled by the RPC's deadline (pool exhaustion under load: ``isCancelledLease(_:)``), are answered
///   `deadlineExceeded` and leave the gate open.
/// - With a `monitor` configuration (what `addPostgres` passes), a connection of its own outside the pool
///   watches the server: when the server closes it (a restart or shutdown ends every session) it connects
///   again at once, and when that fails the gate closes — within milliseconds, also when no query was
///   running, without waiting for a probe or a timeout. It answers the probe's `SELECT 1` every
///   ``upInterval`` while the gate is open (a server that stopped answering without closing connections
///   closes the gate after ``acquireTimeout``); pool contention under load never closes the gate.
/// - Without a monitor, the probe is `SELECT 1` through the pool, allowed ``acquireTimeout``.
/// - While the gate is closed the probe runs every ``downInterval``, and the gate opens when the server
///   answers (the monitor) and the pool hands out a working connection within ``acquireTimeout``. RPCs
///   never reach the pool meanwhile: the gRPC server answers them `unavailable` at once.
///
/// While the gate is closed, postgres-nio keeps reconnecting its pool in the background with its own backoff
/// (100 ms growing by 25 % per failed attempt, not configurable), so after an outage of a few seconds the
/// pool may take up to a fifth of the outage's length to reconnect; the gate opens when it has.
public struct PostgresAvailability: Service {
    /// The gate the gRPC server consults.
    public let gate = AvailabilityGate(name: "postgres")
    /// How long a probe may take.
    public let acquireTimeout: Duration
    /// The pause between probes while the database is available.
    public let upInterval: Duration
    /// The pause between probes while it is not.
    public let downInterval: Duration
    private let client: PostgresClient
    private let monitor: PostgresConnection.Configuration?
    private let logger: Logger

    /// A monitor of `client`; probes wait at most `acquireTimeout`.
    /// - Parameter monitor: where the monitor connection goes (``PostgresSettings/monitorConfiguration()``);
    ///   `nil` probes through the pool only.
    public init(
        client: PostgresClient,
        monitor: PostgresConnection.Configuration? = nil,
        acquireTimeout: Duration,
        upInterval: Duration = .milliseconds(250),
        downInterval: Duration = .milliseconds(100),
        logger: Logger
    ) {
        self.client = client
        self.monitor = monitor
        self.acquireTimeout = acquireTimeout
        self.upInterval = upInterval
        self.downInterval = downInterval
        self.logger = logger
    }

    /// The translator for the gRPC server's error mapping; a connection failure also closes ``gate``.
    public var translator: ErrorTranslator {
        let gate = gate
        let logger = logger
        return ErrorTranslator { error in
            if Self.isStatementTimeout(error) {
                return ServiceError(
                    .deadlineExceeded, code: ServiceError.dependencyFailureCode, message: "statement timed out")
            }
            if Self.isCancelledLease(error) {
                // The RPC ran out of time (or its caller left) while every pooled connection was busy: load,
                // not an outage, so the gate stays open.
                return ServiceError(
                    .deadlineExceeded, code: ServiceError.dependencyFailureCode,
                    message: "cancelled while waiting for a pooled connection")
            }
            guard Self.isConnectionFailure(error) else { return nil }
            if gate.markUnavailable() {
                logger.error("postgres unavailable", metadata: ["error": "\(String(reflecting: error))"])
            }
            return .unavailable(gate.name)
        }
    }

    /// Probes until the process shuts down (or the task is cancelled).
    public func run() async throws {
        let monitor = self.monitor.map { PostgresMonitor(configuration: $0, timeout: acquireTimeout, logger: logger) }
        defer { monitor?.close() }
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let healthy = await probe(monitor)
                if healthy {
                    if gate.markAvailable() { logger.notice("postgres available again") }
                } else if !Task.isCancelled, gate.markUnavailable() {
                    logger.error("postgres unavailable: no answer to the availability probe")
                }
                let pause = healthy ? upInterval : downInterval
                if let monitor {
                    // Probe again at once when the monitor connection closes.
                    await monitor.closed.wait(upTo: pause)
                } else {
                    try? await Task.sleep(for: pause)
                }
            }
        }
    }

    /// Whether the database answers: through the monitor when there is one (and, before the gate opens
    /// again, also through the pool), else through the pool.
    func probe(_ monitor: PostgresMonitor?) async -> Bool {
        guard let monitor else { return await poolAnswers() }
        guard await monitor.ping() else { return false }
        return gate.isAvailable ? true : await poolAnswers()
    }

    /// Whether `SELECT 1` through the pool answers within ``acquireTimeout``.
    func poolAnswers() async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await client.ping(logger: logger) }
            group.addTask {
                try? await Task.sleep(for: acquireTimeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    /// Whether `error` means the database could not be reached or the connection broke (not a failure of
    /// the statement itself): postgres-nio's connection errors, a closed pool, the pool's circuit breaker,
    /// and the server's SQLSTATE classes 08 (connection exception) and 57P01–57P03 (shutting down).
    public static func isConnectionFailure(_ error: any Error) -> Bool {
        if let transaction = error as? PostgresTransactionError {
            return [transaction.beginError, transaction.closureError, transaction.commitError]
                .contains { $0.map(isConnectionFailure) ?? false }
        }
        // The pool's own errors (its circuit breaker after a minute of failed connects, a shut-down pool)
        // come from a module postgres-nio does not export; recognised by type name. A cancelled wait for a
        // connection is not one (``isCancelledLease(_:)``).
        if isPoolError(error) { return !isCancelledLease(error) }
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown:
            return true
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
        default:
            return false
        }
    }

    /// Whether `error` is the pool's `requestCancelled`: the task waiting for a pooled connection was
    /// cancelled (its RPC's deadline passed while every connection was busy), which says nothing about
    /// whether the database is reachable.
    public static func isCancelledLease(_ error: any Error) -> Bool {
        isPoolError(error) && String(reflecting: error).contains("requestCancelled")
    }

    private static func isPoolError(_ error: any Error) -> Bool {
        String(describing: type(of: error)) == "ConnectionPoolError"
    }

    /// Whether `error` is a statement cancelled by `statement_timeout` (SQLSTATE 57014).
    public static func isStatementTimeout(_ error: any Error) -> Bool {
        if let transaction = error as? PostgresTransactionError {
            return [transaction.beginError, transaction.closureError, transaction.commitError]
                .contains { $0.map(isStatementTimeout) ?? false }
        }
        guard let error = error as? PSQLError, error.code == .server else { return false }
        return error.serverInfo?[.sqlState] == "57014"
    }
}
