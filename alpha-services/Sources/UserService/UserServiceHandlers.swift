import AlphaContracts
import GRPCCore
import Logging
import PostgresNIO

/// The user service's gRPC services, built on one PostgreSQL client; what `main` and the tests
/// both serve.
///
/// ```swift
/// let services = UserServiceHandlers.make(postgres: postgres, mail: mail, logger: logger)
/// try process.addGRPCServer(defaultPort: 50051, services: services, serviceNames: UserServiceHandlers.serviceNames)
/// ```
public enum UserServiceHandlers {
    /// The fully-qualified names the health service reports on.
    public static let serviceNames = [
        Alpha_User_V1_Accounts.descriptor.fullyQualifiedService,
        Alpha_User_V1_Users.descriptor.fullyQualifiedService,
        Alpha_User_V1_Subscriptions.descriptor.fullyQualifiedService,
        Alpha_User_V1_FollowGraph.descriptor.fullyQualifiedService,
    ]

    /// `AccountsHandler`, `UsersHandler` and `SubscriptionsHandler` on `postgres` (search_path = the
    /// user service's schema), handing mails to `mail`.
    public static func make(
        postgres: PostgresClient,
        mail: any MailHandoff,
        clock: any WallClock = SystemWallClock(),
        hasher: PasswordHasher = PasswordHasher(),
        policy: AccountPolicy = .standard,
        logger: Logger
    ) -> [any RegistrableRPCService] {
        let users = PostgresUserRepository(client: postgres, logger: logger)
        let subscriptions = PostgresSubscriptionRepository(client: postgres, logger: logger)
        return [
            AccountsHandler(repository: users, mail: mail, hasher: hasher, clock: clock, policy: policy),
            UsersHandler(repository: users, hasher: hasher),
            SubscriptionsHandler(repository: subscriptions, clock: clock),
            FollowGraphHandler(repository: subscriptions),
        ]
    }
}
