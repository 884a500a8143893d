import Logging

extension TestPostgres {
    /// Runs `body` on a fresh database and drops it afterwards, whether `body` returns or throws.
    ///
    /// ```swift
    /// try await TestPostgres.withDatabase { database in
    ///     let settings = database.settings(schema: "post_service")
    ///     …
    /// }
    /// ```
    public static func withDatabase<Result: Sendable>(
        logger: Logger = Logger(label: "alpha-test-postgres"),
        _ body: (TestDatabase) async throws -> Result
    ) async throws -> Result {
        let database = try await createDatabase(logger: logger)
        let result: Result
        do {
            result = try await body(database)
        } catch {
            try? await database.drop(logger: logger)
            throw error
        }
        try await database.drop(logger: logger)
        return result
    }
}
