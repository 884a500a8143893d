import AlphaContracts
import AlphaGRPC
import AlphaPostgres
import AlphaRuntime
import ImageService

/// image-service: validated image uploads stored in the `image_service` schema. gRPC :50054, admin :9104.
@main
enum ImageServiceMain {
    static func main() async {
        await ServiceProcess.run(name: "image-service", defaultAdminPort: 9104) { process in
            let configuration = try ImageServiceConfiguration(settings: process.settings)
            let postgres = try process.addPostgres(
                defaultSchema: "image_service", migrations: ImageServiceMigrations.all())
            try process.addGRPCServer(
                defaultPort: 50054,
                services: [
                    ImagesHandler(
                        store: PostgresImageStore(client: postgres, logger: process.logger),
                        configuration: configuration,
                        logger: process.logger
                    )
                ]
            )
        }
    }
}
