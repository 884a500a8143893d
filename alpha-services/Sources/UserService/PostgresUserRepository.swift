import AlphaOutbox
import ImageOutbox
import Foundation
import Logging
import PostgresNIO

/// ``UserRepository`` on the `user_service` schema (the connection's search_path).
///
/// SQL goes only through postgres-nio's query interpolation, so every value is a bind parameter.
public struct PostgresUserRepository: UserRepository {
    let client: PostgresClient
    let logger: Logger
    private let outbox: Outbox

    /// A repository on `client`'s schema; account mails go into that schema's outbox through `outbox`.
    public init(client: PostgresClient, logger: Logger, outbox: Outbox = Outbox()) {
        self.client = client
        self.logger = logger
        self.outbox = outbox
    }

    public func activationState(of username: String) async throws -> Bool? {
        let rows = try await client.query(
            "SELECT activated_at IS NOT NULL FROM users WHERE username = \(username)",
            logger: logger
        )
        for try await activated in rows.decode(Bool.self) {
            return activated
        }
        return nil
    }

    public func loginRecord(of username: String) async throws -> LoginRecord? {
        let rows = try await client.query(
            "SELECT password, activated_at IS NOT NULL FROM users WHERE username = \(username)",
            logger: logger
        )
        for try await (hash, activated) in rows.decode((String, Bool).self) {
            return LoginRecord(passwordHash: hash, isActivated: activated)
        }
        return nil
    }

    public func setPasswordHash(_ hash: String, for username: String) async throws -> Bool {
        // A new password ends every session: the token version moves on and the refresh tokens go.
        let rows = try await client.query(
            """
            WITH revoked AS (DELETE FROM refresh_tokens WHERE username = \(username))
            UPDATE users SET password = \(hash), token_version = token_version + 1
            WHERE username = \(username) RETURNING 1
            """,
            logger: logger
        ).collect()
        return !rows.isEmpty
    }

    public func profile(of username: String, viewer: String) async throws -> ProfileRecord? {
        let rows = try await client.execute(ProfileStatement(username: username, viewer: viewer), logger: logger)
        for try await row in rows {
            return ProfileRecord(
                username: row.0,
                nickname: row.1,
                status: row.2,
                picture: ProfilePicture(url: row.3, width: row.4, height: row.5),
                followerCount: row.6,
                followingCount: row.7,
                viewerSubscriptionID: row.8
            )
        }
        return nil
    }

    public func updateProfile(
        of username: String,
        nickname: String,
        status: String,
        picture change: ProfilePictureChange?
    ) async throws -> Int64? {
        guard let change else {
            let rows = try await client.query(
                "UPDATE users SET nickname = \(nickname), status = \(status) WHERE username = \(username) RETURNING 1",
                logger: logger
            ).collect()
            return rows.isEmpty ? nil : 0
        }
        let picture: ProfilePicture
        switch change {
        case .upload(let uploaded, _): picture = uploaded
        case .reset: picture = .defaultAvatar
        }
        return try await client.transaction(logger: logger) { connection -> Int64? in
            let rows = try await connection.query(
                """
                UPDATE users SET nickname = \(nickname), status = \(status),
                    picture_url = \(picture.url), picture_width = \(picture.width), picture_height = \(picture.height),
                    picture_version = picture_version + 1
                WHERE username = \(username)
                RETURNING picture_version
                """,
                logger: logger
            )
            var version: Int64?
            for try await row in rows.decode(Int64.self) { version = row }
            guard let version else { return nil }
            try await enqueuePictureChange(change, of: username, version: version, on: connection)
            return version
        }
    }

    public func dropMissingPicture(of username: String, version: Int64) async throws -> Bool {
        let picture = ProfilePicture.defaultAvatar
        return try await client.transaction(logger: logger) { connection -> Bool in
            let rows = try await connection.query(
                """
                UPDATE users SET picture_url = \(picture.url), picture_width = \(picture.width),
                    picture_height = \(picture.height), picture_version = picture_version + 1
                WHERE username = \(username) AND picture_version = \(version)
                RETURNING picture_version
                """,
                logger: logger
            )
            var newVersion: Int64?
            for try await row in rows.decode(Int64.self) { newVersion = row }
            guard let newVersion else { return false }
            logger.error(
                "profile picture upload lost before its commit; back to the default avatar",
                metadata: ["username": "\(username)", "picture_version": "\(version)"])
            try await enqueuePictureChange(.reset, of: username, version: newVersion, on: connection)
            return true
        }
    }

    /// Writes the image commit or deletion of a saved picture change into the outbox (same transaction).
    private func enqueuePictureChange(
        _ change: ProfilePictureChange, of username: String, version: Int64, on connection: PostgresConnection
    ) async throws {
        switch change {
        case .upload(_, let uploadID):
            try await PictureChanges.enqueueCommit(
                uploadID: uploadID, kind: .profile, owner: username, version: version,
                outbox: outbox, on: connection, logger: logger)
        case .reset:
            try await PictureChanges.enqueueDelete(
                kind: .profile, owner: username, version: version, outbox: outbox, on: connection, logger: logger)
        }
    }

    public func searchUsers(query: String, maxDistance: Int, offset: Int, limit: Int) async throws -> UserSearchPage {
        // PostgreSQL text cannot hold U+0000. A NUL never matches a username character, so it is replaced
        // by another character that never does (U+FFFD): the edit distance stays the same.
        let query = query.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
        // One statement for the count and the page, so both describe the same snapshot. The LEFT JOIN keeps
        // the count row when the page is empty (an offset past the end). Ties are broken by username in byte
        // order (COLLATE "C"), independent of the database's locale.
        let rows = try await client.query(
            """
            WITH matches AS (
                SELECT username, nickname, picture_url, picture_width, picture_height, distance
                FROM (SELECT username, nickname, picture_url, picture_width, picture_height,
                             levenshtein(username, \(query)) AS distance
                      FROM users) AS scored
                WHERE distance <= \(maxDistance)
            )
            SELECT total.n, page.username, page.nickname, page.picture_url, page.picture_width, page.picture_height
            FROM (SELECT count(*) AS n FROM matches) AS total
            LEFT JOIN LATERAL (
                SELECT * FROM matches
                ORDER BY distance, username COLLATE "C"
                LIMIT \(limit) OFFSET \(offset)
            ) AS page ON true
            """,
            logger: logger
        )
        var total = 0
        var users: [UserSummaryRecord] = []
        for try await row in rows.decode((Int, String?, String?, String?, Int?, Int?).self) {
            total = row.0
            guard let username = row.1, let nickname = row.2, let url = row.3, let width = row.4, let height = row.5
            else { continue }
            users.append(
                UserSummaryRecord(
                    username: username,
                    nickname: nickname,
                    picture: ProfilePicture(url: url, width: width, height: height)
                )
            )
        }
        return UserSearchPage(users: users, total: total)
    }

    public func userSummaries(of usernames: [String]) async throws -> [UserSummaryRecord] {
        guard !usernames.isEmpty else { return [] }
        let rows = try await client.query(
            """
            SELECT username, nickname, picture_url, picture_width, picture_height
            FROM users WHERE username = ANY(\(usernames))
            """,
            logger: logger
        )
        var users: [UserSummaryRecord] = []
        for try await (username, nickname, url, width, height) in rows.decode((String, String, String, Int, Int).self) {
            users.append(
                UserSummaryRecord(
                    username: username,
                    nickname: nickname,
                    picture: ProfilePicture(url: url, width: width, height: height)
                )
            )
        }
        return users
    }

    public func withAccountTransaction<Result: Sendable>(
        _ body: (any AccountTransaction) async throws -> Result
    ) async throws -> Result {
        try await client.transaction(logger: logger) { connection in
            try await body(PostgresAccountTransaction(connection: connection, outbox: outbox, logger: logger))
        }
    }
}
