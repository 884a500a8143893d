import AlphaContracts
import Foundation
import GRPCCore
import Logging
import PostgresNIO

/// The post service's two gRPC services on one PostgreSQL client; what `main` and the tests both serve.
///
/// ```swift
/// let services = PostServiceHandlers.make(postgres: postgres, users: GRPCUserDirectory(client: users), logger: logger)
/// try process.addGRPCServer(defaultPort: 50052, services: services)
/// ```
public enum PostServiceHandlers {
    /// `PostsHandler`, `InteractionsHandler` and `FollowReplicaHandler` on `postgres` (search_path = the post
    /// service's schema), with author data (and each follower's first copy of their followees) from `users`, pictures through `pictures` and repost notifications
    /// through `notifier`.
    public static func make(
        postgres: PostgresClient,
        users: any UserDirectory,
        pictures: any PostPictureStore = PicturesUnavailable(),
        notifier: any RepostNotifier = NoRepostNotifications(),
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger
    ) -> [any RegistrableRPCService] {
        let repository = PostgresPostRepository(client: postgres, notifier: notifier, logger: logger)
        let follows = PostgresFollowReplica(client: postgres, logger: logger)
        return [
            PostsHandler(
                repository: repository, users: users, follows: follows, pictures: pictures, now: now, logger: logger),
            InteractionsHandler(repository: repository, users: users, now: now),
            FollowReplicaHandler(replica: follows),
        ]
    }
}
