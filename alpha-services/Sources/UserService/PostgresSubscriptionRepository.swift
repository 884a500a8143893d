import Foundation
import Logging
import PostgresNIO

/// ``SubscriptionRepository`` on the `user_service` schema.
public struct PostgresSubscriptionRepository: SubscriptionRepository {
    private let client: PostgresClient
    private let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func userExists(_ username: String) async throws -> Bool {
        let rows = try await client.query("SELECT 1 FROM users WHERE username = \(username)", logger: logger)
            .collect()
        return !rows.isEmpty
    }

    public func create(_ subscription: SubscriptionRecord) async throws {
        do {
            _ = try await client.query(
                """
                INSERT INTO subscriptions (subscription_id, created_at, subscriber_name, subscribee_name)
                VALUES (\(subscription.id), \(subscription.createdAt), \(subscription.follower), \(subscription.following))
                """,
                logger: logger
            ).collect()
        } catch {
            // The unique constraint decides between two concurrent identical follows.
            if PostgresErrors.isUniqueViolation(error, of: "subscriptions_uq") {
                throw SubscriptionConflict.alreadyExists
            }
            if PostgresErrors.isForeignKeyViolation(error) { throw SubscriptionConflict.unknownUser }
            throw error
        }
    }

    public func delete(id: UUID, follower: String) async throws -> SubscriptionDeletion {
        let deleted = try await client.query(
            "DELETE FROM subscriptions WHERE subscription_id = \(id) AND subscriber_name = \(follower) RETURNING 1",
            logger: logger
        ).collect()
        if !deleted.isEmpty { return .deleted }
        let existing = try await client.query(
            "SELECT 1 FROM subscriptions WHERE subscription_id = \(id)",
            logger: logger
        ).collect()
        return existing.isEmpty ? .notFound : .notFollower
    }

    public func count(of username: String, direction: FollowDirection) async throws -> Int? {
        let query: PostgresQuery =
            switch direction {
            case .followers:
                """
                SELECT (SELECT count(*) FROM subscriptions WHERE subscribee_name = u.username)
                FROM users u WHERE u.username = \(username)
                """
            case .following:
                """
                SELECT (SELECT count(*) FROM subscriptions WHERE subscriber_name = u.username)
                FROM users u WHERE u.username = \(username)
                """
            }
        for try await count in try await client.query(query, logger: logger).decode(Int.self) {
            return count
        }
        return nil
    }

    public func list(
        of username: String,
        direction: FollowDirection,
        viewer: String,
        offset: Int,
        limit: Int
    ) async throws -> [FollowListing] {
        // `listed` is the other side of each of `username`'s relations; `theirs`/`mine` are that user's
        // relations to the viewer. Ties on created_at are broken by id so pages never overlap.
        let query: PostgresQuery =
            switch direction {
            case .followers:
                """
                SELECT u.username, u.nickname, u.picture_url, u.picture_width, u.picture_height,
                       theirs.subscription_id, mine.subscription_id
                FROM subscriptions s
                JOIN users u ON u.username = s.subscriber_name
                LEFT JOIN subscriptions theirs
                       ON theirs.subscriber_name = u.username AND theirs.subscribee_name = \(viewer)
                LEFT JOIN subscriptions mine
                       ON mine.subscriber_name = \(viewer) AND mine.subscribee_name = u.username
                WHERE s.subscribee_name = \(username)
                ORDER BY s.created_at DESC, s.subscription_id DESC
                LIMIT \(limit) OFFSET \(offset)
                """
            case .following:
                """
                SELECT u.username, u.nickname, u.picture_url, u.picture_width, u.picture_height,
                       theirs.subscription_id, mine.subscription_id
                FROM subscriptions s
                JOIN users u ON u.username = s.subscribee_name
                LEFT JOIN subscriptions theirs
                       ON theirs.subscriber_name = u.username AND theirs.subscribee_name = \(viewer)
                LEFT JOIN subscriptions mine
                       ON mine.subscriber_name = \(viewer) AND mine.subscribee_name = u.username
                WHERE s.subscriber_name = \(username)
                ORDER BY s.created_at DESC, s.subscription_id DESC
                LIMIT \(limit) OFFSET \(offset)
                """
            }
        var listings: [FollowListing] = []
        let rows = try await client.query(query, logger: logger)
        for try await row in rows.decode((String, String, String, Int, Int, UUID?, UUID?).self) {
            listings.append(
                FollowListing(
                    user: UserSummaryRecord(
                        username: row.0,
                        nickname: row.1,
                        picture: ProfilePicture(url: row.2, width: row.3, height: row.4)
                    ),
                    theirSubscriptionID: row.5,
                    viewerSubscriptionID: row.6
                )
            )
        }
        return listings
    }

    public func followees(of username: String) async throws -> [String] {
        // Served by subscriptions_subscriber_idx.
        let rows = try await client.query(
            "SELECT subscribee_name FROM subscriptions WHERE subscriber_name = \(username)",
            logger: logger
        )
        var names: [String] = []
        for try await name in rows.decode(String.self) { names.append(name) }
        return names
    }
}
