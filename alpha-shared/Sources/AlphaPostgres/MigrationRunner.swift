import Logging
import PostgresNIO

/// Applies a schema's migrations exactly once, safely from many replicas at the same time.
///
/// - Holds a PostgreSQL advisory lock (keyed by the schema name) on one connection for the whole run,
///   so concurrent starters apply nothing twice: the second waits, then finds everything applied.
/// - Records each applied migration with its SHA-256 checksum in `<schema>.schema_migrations`.
/// - Refuses to start (``MigrationError/editedAfterApply(version:name:)``) when an applied file changed.
/// - Applies each pending migration in its own transaction together with its record.
///
/// ```swift
/// let applied = try await MigrationRunner(schema: "user_service", migrations: migrations, logger: logger)
///     .run(on: client)
/// ```
public struct MigrationRunner: Sendable {
    /// The schema migrated (and the advisory lock key).
    public let schema: String
    /// Every migration of the schema, in version order.
    public let migrations: [Migration]
    private let logger: Logger

    /// A runner for `migrations` of `schema`.
    public init(schema: String, migrations: [Migration], logger: Logger) {
        self.schema = schema
        self.migrations = migrations
        self.logger = logger
    }

    /// Applies what is pending; returns the versions applied by this call (empty when up to date).
    @discardableResult
    public func run(on client: PostgresClient) async throws -> [Int] {
        try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(hashtext(\(lockKey)))", logger: logger).drain()
            do {
                let applied = try await applyPending(on: connection)
                try await connection.query("SELECT pg_advisory_unlock(hashtext(\(lockKey)))", logger: logger).drain()
                return applied
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(hashtext(\(lockKey)))", logger: logger)
                    .drain()
                throw error
            }
        }
    }

    private var lockKey: String { "alpha-migrations:\(schema)" }
    private var quotedSchema: String { "\"\(schema.replacingOccurrences(of: "\"", with: "\"\""))\"" }

    private func applyPending(on connection: PostgresConnection) async throws -> [Int] {
        try await ensureBookkeeping(on: connection)
        let recorded = try await appliedChecksums(on: connection)
        let known = Set(migrations.map(\.version))
        if let unknown = recorded.keys.sorted().first(where: { !known.contains($0) }) {
            throw MigrationError.unknownAppliedVersion(unknown)
        }
        var applied: [Int] = []
        for migration in migrations {
            if let checksum = recorded[migration.version] {
                guard checksum == migration.checksum else {
                    throw MigrationError.editedAfterApply(version: migration.version, name: migration.name)
                }
                continue
            }
            try await apply(migration, on: connection)
            applied.append(migration.version)
        }
        return applied
    }

    private func ensureBookkeeping(on connection: PostgresConnection) async throws {
        let exists = try await connection.query(
            "SELECT 1 FROM pg_namespace WHERE nspname = \(schema)",
            logger: logger
        ).collect()
        if exists.isEmpty {
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(quotedSchema)"), logger: logger)
                .drain()
        }
        try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    CREATE TABLE IF NOT EXISTS \(quotedSchema).schema_migrations (
                        version integer PRIMARY KEY,
                        name text NOT NULL,
                        checksum text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """
            ),
            logger: logger
        ).drain()
    }

    private func appliedChecksums(on connection: PostgresConnection) async throws -> [Int: String] {
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT version, checksum FROM \(quotedSchema).schema_migrations"),
            logger: logger
        )
        var result: [Int: String] = [:]
        for try await (version, checksum) in rows.decode((Int, String).self) {
            result[version] = checksum
        }
        return result
    }

    private func apply(_ migration: Migration, on connection: PostgresConnection) async throws {
        logger.info("applying migration", metadata: ["schema": "\(schema)", "version": "\(migration.version)"])
        try await connection.transaction(logger: logger) { connection in
            try await connection.query(
                PostgresQuery(unsafeSQL: "SET LOCAL search_path TO \(quotedSchema)"),
                logger: logger
            ).drain()
            for statement in migration.statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).drain()
            }
            try await connection.query(
                PostgresQuery(
                    unsafeSQL:
                        "INSERT INTO \(quotedSchema).schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    binds: try Self.binds(migration.version, migration.name, migration.checksum)
                ),
                logger: logger
            ).drain()
        }
    }

    private static func binds(_ version: Int, _ name: String, _ checksum: String) throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(version)
        bindings.append(name)
        bindings.append(checksum)
        return bindings
    }
}

extension PostgresRowSequence {
    /// Consumes every row (for statements run for their effect).
    func drain() async throws {
        for try await _ in self {}
    }
}
