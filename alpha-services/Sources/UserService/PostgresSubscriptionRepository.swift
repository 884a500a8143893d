import AlphaContracts
import AlphaOutbox
import AlphaPostgres
import Foundation
import Logging
import NotificationOutbox
import PostgresNIO

/// ``SubscriptionRepository`` on the `user_service` schema.
public struct PostgresSubscriptionRepository: SubscriptionRepository {
    private let client: PostgresClient
    private let logger: Logger
    private let outbox: Outbox

    /// A repository on `client`'s schema; follow notifications go into that schema's outbox through `outbox`.
    public init(client: PostgresClient, logger: Logger, outbox: Outbox = Outbox()) {
        self.client = client
        self.logger = logger
        self.outbox = outbox
    }

    public func userExists(_ username: String) async throws -> Bool {
        let rows = try await client.query("SELECT 1 FROM users WHERE username = \(username)", logger: logger)
            .collect()
        return !rows.isEmpty
    }

    /// Stores the follow and, in the same transaction, writes the followed user's `follow` notification
    /// (with the follower's nickname and picture as they are now) and the post service's follow change
    /// (``FollowChanges``) into the schema's outbox.
    public func create(_ subscription: SubscriptionRecord) async throws {
        do {
            try await client.transaction(logger: logger) { connection in
                let follower = try await connection.query(
                    """
                    WITH inserted AS (
                        INSERT INTO subscriptions (subscription_id, created_at, subscriber_name, subscribee_name)
                        VALUES (\(subscription.id), \(subscription.createdAt), \(subscription.follower),
                                \(subscription.following))
                    )
                    SELECT nickname, picture_url, picture_width, picture_height FROM users
                    WHERE username = \(subscription.follower)
                    """,
                    logger: logger
                )
                var actor = Alpha_Notification_V1_Actor.with { $0.username = subscription.follower }
                for try await (nickname, url, width, height) in follower.decode((String, String, Int, Int).self) {
                    actor.nickname = nickname
                    actor.picture = .with {
                        $0.url = url
                        $0.width = Int32(clamping: width)
                        $0.height = Int32(clamping: height)
                    }
                }
                try await NotificationNotice.enqueue(
                    type: .follow, recipient: subscription.following, actor: actor, date: subscription.createdAt,
                    outbox: outbox, on: connection, logger: logger
                )
                try await FollowChanges.enqueue(
                    follower: subscription.follower, followee: subscription.following, following: true,
                    outbox: outbox, on: connection, logger: logger
                )
            }
        } catch {
            // The unique constraint decides between two concurrent identical follows.
            if PostgresErrors.isUniqueViolation(error, of: "subscriptions_uq") {
                throw SubscriptionConflict.alreadyExists
            }
            if PostgresErrors.isForeignKeyViolation(error) { throw SubscriptionConflict.unknownUser }
            throw error
        }
    }

    /// Deletes the follow and, in the same transaction, writes the post service's follow change into the
    /// schema's outbox.
    public func delete(id: UUID, follower: String) async throws -> SubscriptionDeletion {
        let deleted = try await client.transaction(logger: logger) { connection -> Bool in
            let rows = try await connection.query(
                """
                DELETE FROM subscriptions WHERE subscription_id = \(id) AND subscriber_name = \(follower)
                RETURNING subscribee_name
                """,
                logger: logger
            )
            var followee: String?
            for try await name in rows.decode(String.self) { followee = name }
            guard let followee else { return false }
            try await FollowChanges.enqueue(
                follower: follower, followee: followee, following: false, outbox: outbox, on: connection,
                logger: logger)
            return true
        }
        if deleted { return .deleted }
        let existing = try await client.query(
            "SELECT 1 FROM subscriptions WHERE subscription_id = \(id)",
            logger: logger
        ).collect()
        return existing.isEmpty ? .notFound : .notFollower
    }

    public func count(of username: String, direction: FollowDirection) async throws -> Int? {
        switch direction {
        case .followers: try await count(of: username, side: SubscriptionStatements.Followers.self)
        case .following: try await count(of: username, side: SubscriptionStatements.Followings.self)
        }
    }

    private func count<Side: SubscriptionStatements.Side>(of username: String, side: Side.Type) async throws -> Int? {
        let rows = try await client.execute(SubscriptionStatements.Count<Side>(username: username), logger: logger)
        for try await count in rows {
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
        switch direction {
        case .followers:
            try await list(
                SubscriptionStatements.List<SubscriptionStatements.Followers>(
                    username: username, viewer: viewer, limit: limit, offset: offset))
        case .following:
            try await list(
                SubscriptionStatements.List<SubscriptionStatements.Followings>(
                    username: username, viewer: viewer, limit: limit, offset: offset))
        }
    }

    private func list<Side>(_ statement: SubscriptionStatements.List<Side>) async throws -> [FollowListing] {
        let rows = try await client.execute(statement, logger: logger)
        var listings: [FollowListing] = []
        for try await row in rows {
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
