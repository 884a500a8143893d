import Foundation
import Logging
import PostgresNIO

/// ``FollowReplica`` on the post service's `follows` and `follows_copied` tables
/// (`Migrations/0002_follow_replica.sql`).
public struct PostgresFollowReplica: FollowReplica {
    private let client: PostgresClient
    private let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func followees(of follower: String) async throws -> [String]? {
        // One round trip: no row = never copied; one row with NULL = copied, follows nobody.
        let rows = try await client.query(
            """
            SELECT f.followee_name FROM follows_copied c
            LEFT JOIN follows f ON f.follower_name = c.follower_name AND f.following
            WHERE c.follower_name = \(follower)
            """,
            logger: logger
        )
        var copied = false
        var names: [String] = []
        for try await name in rows.decode(String?.self) {
            copied = true
            if let name { names.append(name) }
        }
        return copied ? names : nil
    }

    public func copy(followees: [String], of follower: String) async throws {
        // One statement, so the copy and its mark commit together.
        try await client.query(
            """
            WITH copied AS (
                INSERT INTO follows_copied (follower_name) VALUES (\(follower)) ON CONFLICT DO NOTHING
            )
            INSERT INTO follows (follower_name, followee_name, following, version)
            SELECT \(follower), name, true, 0 FROM unnest(\(followees)::text[]) AS f(name)
            ON CONFLICT (follower_name, followee_name) DO NOTHING
            """,
            logger: logger
        )
    }

    public func apply(_ change: FollowChange) async throws -> Bool {
        let rows = try await client.query(
            """
            INSERT INTO follows (follower_name, followee_name, following, version)
            VALUES (\(change.follower), \(change.followee), \(change.following), \(change.version))
            ON CONFLICT (follower_name, followee_name) DO UPDATE
                SET following = EXCLUDED.following, version = EXCLUDED.version
                WHERE follows.version < EXCLUDED.version
            RETURNING 1
            """,
            logger: logger
        ).collect()
        return !rows.isEmpty
    }
}
