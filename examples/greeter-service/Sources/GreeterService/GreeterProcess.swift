import AlphaCore
import AlphaGRPC
import AlphaPostgres

/// The greeter process's wiring, in the library so the tests run exactly what `main` runs.
public enum GreeterProcess {
    /// The process name, in logs, metrics and traces.
    public static let name = "greeter-service"
    /// `ADMIN_PORT` unless set (`/metrics`, `/health/live`, `/health/ready`).
    public static let defaultAdminPort = 9190
    /// `GRPC_PORT` unless set.
    public static let defaultGRPCPort = 50090

    /// Adds the database (migrated before anything listens) and the gRPC server with the greeter.
    public static func assemble(_ process: inout ProcessAssembly) async throws {
        let postgres = try await process.addPostgres(
            defaultSchema: "greeter_service",
            migrations: try GreeterServiceMigrations.all()
        )
        try process.addGRPCServer(
            defaultPort: defaultGRPCPort,
            services: [GreeterHandler(store: PostgresGreetingStore(client: postgres, logger: process.logger))],
            serviceNames: [Example_Greeter_V1_Greeter.descriptor.fullyQualifiedService]
        )
    }
}
