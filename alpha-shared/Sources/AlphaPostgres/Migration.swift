import Crypto
import Foundation

/// One versioned SQL migration: `0001_create_users.sql` → version 1, name `create_users`.
public struct Migration: Sendable, Hashable {
    /// The version from the file name (`0001_…` → 1); applied in ascending order.
    public var version: Int
    /// The file name without version and extension, for logs and the bookkeeping table.
    public var name: String
    /// The SQL text; its SHA-256 is the checksum compared on every start.
    public var sql: String

    /// A migration from explicit parts.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// SHA-256 of the SQL text, hex; recorded when applied and compared on every start.
    public var checksum: String {
        SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Loads every `NNNN_name.sql` file in `directory`, ordered by version.
    ///
    /// Throws ``MigrationError/badFileName(_:)`` for a `.sql` file not named that way and
    /// ``MigrationError/duplicateVersion(_:)`` when two files share a version.
    public static func load(directory: URL) throws -> [Migration] {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }
        var migrations: [Migration] = []
        for file in files {
            let base = file.deletingPathExtension().lastPathComponent
            let parts = base.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, let version = Int(parts[0]), version > 0 else {
                throw MigrationError.badFileName(file.lastPathComponent)
            }
            let sql = try String(contentsOf: file, encoding: .utf8)
            migrations.append(Migration(version: version, name: String(parts[1]), sql: sql))
        }
        migrations.sort { $0.version < $1.version }
        for (previous, next) in zip(migrations, migrations.dropFirst()) where previous.version == next.version {
            throw MigrationError.duplicateVersion(next.version)
        }
        return migrations
    }

    /// Loads the migrations shipped as a resource folder of a module (`Bundle.module`).
    public static func load(bundle: Bundle, folder: String = "Migrations") throws -> [Migration] {
        guard let url = bundle.url(forResource: folder, withExtension: nil) else {
            throw MigrationError.missingFolder(folder)
        }
        return try load(directory: url)
    }
}

/// Why migrations could not be applied.
public enum MigrationError: Error, Hashable, CustomStringConvertible, Sendable {
    case badFileName(String)
    case duplicateVersion(Int)
    case missingFolder(String)
    /// An already-applied migration's file changed: fix the file (or add a new migration) instead.
    case editedAfterApply(version: Int, name: String)
    /// The database has a version this build does not know (a newer build applied it).
    case unknownAppliedVersion(Int)

    /// One line naming the file or version.
    public var description: String {
        switch self {
        case .badFileName(let file): "migration file \(file) must be named NNNN_name.sql"
        case .duplicateVersion(let version): "two migration files have version \(version)"
        case .missingFolder(let folder): "migration folder \(folder) is missing from the bundle"
        case .editedAfterApply(let version, let name):
            "migration \(version) (\(name)) was edited after it was applied; restore it and add a new migration"
        case .unknownAppliedVersion(let version):
            "the database has migration \(version) applied, which this build does not know"
        }
    }
}
