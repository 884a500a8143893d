import Logging
import PostgresNIO

extension PostgresClient {
    /// postgres-nio's `withTransaction` (BEGIN, `body`, COMMIT; ROLLBACK when `body` throws), except that an
    /// error thrown by `body` comes out as itself rather than wrapped in `PostgresTransactionError`, so domain
    /// errors keep their type. Failures of BEGIN or COMMIT still come out wrapped (the kit's availability
    /// translator looks inside).
    ///
    /// ```swift
    /// try await postgres.transaction(logger: logger) { connection in
    ///     try await connection.query("UPDATE …", logger: logger)
    /// }
    /// ```
    public func transaction<Result: Sendable>(
        logger: Logger,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await unwrappingClosureError {
            try await withTransaction(logger: logger) { connection in try await body(connection) }
        }
    }
}

extension PostgresConnection {
    /// Like ``PostgresNIO/PostgresClient/transaction(logger:_:)`` on a connection already held (migrations).
    func transaction<Result: Sendable>(
        logger: Logger,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await unwrappingClosureError {
            try await withTransaction(logger: logger) { connection in try await body(connection) }
        }
    }
}

/// Rethrows the error of a transaction's body unwrapped (the rollback has been attempted; when it failed, the
/// pool closes the connection).
private func unwrappingClosureError<Result>(_ run: () async throws -> Result) async throws -> Result {
    do {
        return try await run()
    } catch let error as PostgresTransactionError {
        throw error.closureError ?? error
    }
}
