import AlphaContracts
import AlphaGRPC
import AlphaPostgres
import AlphaRuntime
import UserService

/// user-service: accounts, profiles and follows, on the `user_service` schema. gRPC :50051, admin :9101.
@main
enum UserServiceMain {
    static func main() async {
        await ServiceProcess.run(name: "user-service", defaultAdminPort: 9101) { process in
            let postgres = try await process.addPostgres(
                defaultSchema: "user_service",
                migrations: try UserServiceMigrations.all()
            )
            let repository = PostgresUserRepository(client: postgres, logger: process.logger)
            try process.addGRPCServer(
                defaultPort: 50051,
                services: [AccountsHandler(repository: repository)],
                serviceNames: [Alpha_User_V1_Accounts.descriptor.fullyQualifiedService]
            )
        }
    }
}
