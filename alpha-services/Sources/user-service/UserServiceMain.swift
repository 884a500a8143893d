import AlphaGRPC
import AlphaPostgres
import AlphaRuntime
import UserService

/// user-service: accounts, profiles and follows, on the `user_service` schema. gRPC :50051, admin :9101.
/// Mails (activation, reset, welcome) go to the notification service at `NOTIFICATION_SERVICE_URL`.
@main
enum UserServiceMain {
    static func main() async {
        await ServiceProcess.run(name: "user-service", defaultAdminPort: 9101) { process in
            let postgres = try await process.addPostgres(
                defaultSchema: "user_service",
                migrations: try UserServiceMigrations.all()
            )
            let notification = try process.addGRPCClient(
                urlKey: "notification.service.url",
                defaultTarget: "127.0.0.1:50053"
            )
            try process.addGRPCServer(
                defaultPort: 50051,
                services: UserServiceHandlers.make(
                    postgres: postgres,
                    mail: GRPCMailHandoff(client: notification),
                    policy: try AccountPolicy(settings: process.settings),
                    logger: process.logger
                ),
                serviceNames: UserServiceHandlers.serviceNames
            )
        }
    }
}
