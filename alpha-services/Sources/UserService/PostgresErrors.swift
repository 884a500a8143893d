import PostgresNIO

/// SQLSTATE classes the repositories turn into domain outcomes.
enum PostgresErrors {
    static let uniqueViolation = "23505"
    static let foreignKeyViolation = "23503"

    /// The SQLSTATE and constraint name of a server error, or `nil` for anything else.
    static func serverError(_ error: any Error) -> (sqlState: String, constraint: String?)? {
        guard let error = error as? PSQLError, error.code == .server,
            let sqlState = error.serverInfo?[.sqlState]
        else { return nil }
        return (sqlState, error.serverInfo?[.constraintName])
    }

    /// Whether `error` is a unique violation of `constraint`.
    static func isUniqueViolation(_ error: any Error, of constraint: String) -> Bool {
        guard let info = serverError(error) else { return false }
        return info.sqlState == uniqueViolation && info.constraint == constraint
    }

    /// Whether `error` is a foreign-key violation (any constraint).
    static func isForeignKeyViolation(_ error: any Error) -> Bool {
        serverError(error)?.sqlState == foreignKeyViolation
    }
}
