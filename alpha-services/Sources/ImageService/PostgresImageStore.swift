import AlphaPostgres
import Foundation
import Logging
import PostgresNIO

/// ``ImageStore`` in the image service's own schema (`image_service.images`, bytes as `bytea`).
///
/// Commits and deletes of one owner are serialised with a transaction-scoped advisory lock, so two
/// uploads of the same user never leave two served pictures or none; with owner versions
/// (`image_owner_versions`) they also take effect in the order the owner saved them, so the served
/// picture is always the one the owner refers to.
public struct PostgresImageStore: ImageStore {
    private let client: PostgresClient
    private let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func insert(_ image: NewImage, commit: Bool, pendingTTL: Duration) async throws -> UUID {
        let uploadID = UUID()
        let ttlSeconds = Double(pendingTTL.components.seconds)
        _ = try await client.query(
            """
            DELETE FROM images WHERE NOT committed AND created_at < now() - make_interval(secs => \(ttlSeconds))
            """,
            logger: logger
        )
        let name = image.owner.name(for: image.format)
        let data = Data(image.bytes)
        try await client.transaction(logger: logger) { connection in
            if commit {
                try await lock(image.owner, connection: connection)
                try await deleteCommitted(of: image.owner, connection: connection)
            }
            _ = try await connection.query(
                """
                INSERT INTO images (upload_id, name, owner_kind, owner_id, uploaded_by, content_type, width, height,
                                    data, etag, committed)
                SELECT \(uploadID), \(name), \(image.owner.kind.rawValue), \(image.owner.id), \(image.uploadedBy),
                       \(image.format.contentType), \(image.width), \(image.height),
                       upload.data, encode(sha256(upload.data), 'hex'), \(commit)
                FROM (SELECT \(data)::bytea AS data) AS upload
                """,
                logger: logger
            )
        }
        return uploadID
    }

    public func commit(uploadID: UUID, owner expected: ImageOwner?, ownerVersion: Int64, actingFor user: String?)
        async throws -> ImageStoreOutcome<ImageCommit>
    {
        guard let upload = try await upload(uploadID), expected == nil || expected == upload.owner else {
            return .notFound
        }
        guard user == nil || upload.uploadedBy == user else { return .forbidden }
        if upload.committed { return .done(ImageCommit(name: upload.name, stale: false)) }
        return try await client.transaction(logger: logger) { connection in
            try await lock(upload.owner, connection: connection)
            // Still there (not discarded or swept meanwhile)? Checked before anything is deleted.
            let rows = try await connection.query(
                "SELECT committed FROM images WHERE upload_id = \(uploadID) FOR UPDATE", logger: logger)
            var found: Bool?
            for try await committed in rows.decode(Bool.self) { found = committed }
            guard let committed = found else { return .notFound }
            if committed { return .done(ImageCommit(name: upload.name, stale: false)) }
            if ownerVersion > 0, try await !advance(upload.owner, to: ownerVersion, connection: connection) {
                // A newer picture (or the owner's deletion) was applied already: this upload is nobody's.
                _ = try await connection.query("DELETE FROM images WHERE upload_id = \(uploadID)", logger: logger)
                return .done(ImageCommit(name: upload.name, stale: true))
            }
            try await deleteCommitted(of: upload.owner, connection: connection)
            _ = try await connection.query(
                "UPDATE images SET committed = true WHERE upload_id = \(uploadID)", logger: logger)
            return .done(ImageCommit(name: upload.name, stale: false))
        }
    }

    public func discard(uploadID: UUID, actingFor user: String?) async throws -> ImageStoreOutcome<Bool> {
        guard let upload = try await upload(uploadID) else { return .done(false) }
        guard user == nil || upload.uploadedBy == user else { return .forbidden }
        let rows = try await client.query(
            "DELETE FROM images WHERE upload_id = \(uploadID) AND NOT committed RETURNING upload_id",
            logger: logger
        )
        var deleted = false
        for try await _ in rows.decode(UUID.self) { deleted = true }
        return .done(deleted)
    }

    public func deleteAll(of owner: ImageOwner, ownerVersion: Int64, actingFor user: String?) async throws -> Int {
        try await client.transaction(logger: logger) { connection in
            try await lock(owner, connection: connection)
            if ownerVersion > 0, try await !advance(owner, to: ownerVersion, connection: connection) { return 0 }
            let rows = try await connection.query(
                """
                DELETE FROM images
                WHERE owner_kind = \(owner.kind.rawValue) AND owner_id = \(owner.id) AND committed
                  AND (\(user)::text IS NULL OR uploaded_by = \(user))
                RETURNING upload_id
                """,
                logger: logger
            )
            var count = 0
            for try await _ in rows.decode(UUID.self) { count += 1 }
            return count
        }
    }

    public func uploaders(of owner: ImageOwner) async throws -> Set<String?> {
        let rows = try await client.query(
            "SELECT uploaded_by FROM images WHERE owner_kind = \(owner.kind.rawValue) AND owner_id = \(owner.id)",
            logger: logger
        )
        var uploaders: Set<String?> = []
        for try await uploader in rows.decode(String?.self) { uploaders.insert(uploader) }
        return uploaders
    }

    public func image(named name: String, unlessETag etag: String?) async throws -> StoredImage? {
        let rows = try await client.query(
            """
            SELECT name, content_type, etag,
                   CASE WHEN etag = \(etag ?? "") THEN ''::bytea ELSE data END
            FROM images WHERE name = \(name) AND committed
            """,
            logger: logger
        )
        for try await (name, contentType, etag, data) in rows.decode((String, String, String, Data).self) {
            return StoredImage(name: name, contentType: contentType, etag: etag, bytes: data)
        }
        return nil
    }

    public func count() async throws -> Int {
        let rows = try await client.query("SELECT count(*) FROM images WHERE committed", logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    // MARK: - Helpers

    private struct Upload {
        var name: String
        var owner: ImageOwner
        var uploadedBy: String?
        var committed: Bool
    }

    private func upload(_ uploadID: UUID) async throws -> Upload? {
        let rows = try await client.query(
            "SELECT name, owner_kind, owner_id, uploaded_by, committed FROM images WHERE upload_id = \(uploadID)",
            logger: logger
        )
        for try await (name, kind, owner, uploadedBy, committed) in rows.decode(
            (String, String, String, String?, Bool).self)
        {
            guard let kind = ImageOwner.Kind(rawValue: kind) else { return nil }
            return Upload(
                name: name, owner: ImageOwner(kind: kind, id: owner), uploadedBy: uploadedBy, committed: committed)
        }
        return nil
    }

    /// Deletes the owner's committed picture(s): a new one replaces them (D44). Call with the lock held.
    private func deleteCommitted(of owner: ImageOwner, connection: PostgresConnection) async throws {
        _ = try await connection.query(
            """
            DELETE FROM images WHERE owner_kind = \(owner.kind.rawValue) AND owner_id = \(owner.id) AND committed
            """,
            logger: logger
        )
    }

    /// Records `version` as the owner's highest applied picture version; `false` (nothing changed) when it
    /// is not above the recorded one, i.e. the request is stale. Call with the lock held.
    private func advance(_ owner: ImageOwner, to version: Int64, connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO image_owner_versions (owner_kind, owner_id, version)
            VALUES (\(owner.kind.rawValue), \(owner.id), \(version))
            ON CONFLICT (owner_kind, owner_id) DO UPDATE SET version = EXCLUDED.version
            WHERE image_owner_versions.version < EXCLUDED.version
            RETURNING 1
            """,
            logger: logger
        ).collect()
        return !rows.isEmpty
    }

    private func lock(_ owner: ImageOwner, connection: PostgresConnection) async throws {
        let key = "image:\(owner.kind.rawValue):\(owner.id)"
        _ = try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(key), 0))", logger: logger)
    }
}
