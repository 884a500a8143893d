import AlphaAuth
import AlphaContracts
import GRPCCore
import Logging
import PostgresNIO

/// The user service's gRPC services, built on one PostgreSQL client; what `main` and the tests
/// both serve.
///
/// ```swift
/// let services = UserServiceHandlers.make(postgres: postgres, refreshLifetime: tokens.refreshLifetime, logger: logger)
/// try process.addGRPCServer(defaultPort: 50051, services: services)
/// ```
public enum UserServiceHandlers {
    /// `AccountsHandler`, `UsersHandler`, `SubscriptionsHandler`, `FollowGraphHandler` and `SessionsHandler` on
    /// `postgres` (search_path = the user service's schema), writing account mails into that schema's outbox.
    /// `refreshLifetime` is the installation's (`REFRESH_TOKEN_TTL_SECONDS`, ``TokenPolicy``): how long a
    /// session the gateway starts stays alive.
    public static func make(
        postgres: PostgresClient,
        refreshLifetime: Duration,
        clock: any WallClock = SystemWallClock(),
        hasher: PasswordHasher = PasswordHasher(),
        policy: AccountPolicy = .standard,
        logger: Logger
    ) -> [any RegistrableRPCService] {
        let users = PostgresUserRepository(client: postgres, logger: logger)
        let subscriptions = PostgresSubscriptionRepository(client: postgres, logger: logger)
        return [
            AccountsHandler(repository: users, hasher: hasher, clock: clock, policy: policy),
            UsersHandler(repository: users, hasher: hasher),
            SubscriptionsHandler(repository: subscriptions, clock: clock),
            FollowGraphHandler(repository: subscriptions),
            SessionsHandler(
                repository: PostgresSessionRepository(client: postgres, logger: logger), clock: clock,
                refreshLifetime: refreshLifetime),
        ]
    }
}
