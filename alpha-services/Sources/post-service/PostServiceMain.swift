import AlphaContracts
import AlphaGRPC
import AlphaOutbox
import AlphaPostgres
import AlphaRuntime
import NotificationOutbox
import PostService

/// post-service: posts, feeds, likes and comments, on the `post_service` schema. gRPC :50052, admin :9102.
/// Author data and follows come from the user service at `USER_SERVICE_URL`, pictures go to the image
/// service at `IMAGE_SERVICE_URL` (their commits and deletions through the outbox); repost notifications are written to the schema's outbox with the repost
/// and relayed to the notification service at `NOTIFICATION_SERVICE_URL`.
@main
enum PostServiceMain {
    static func main() async {
        await ServiceProcess.run(name: "post-service", defaultAdminPort: 9102) { process in
            let postgres = try await process.addPostgres(
                defaultSchema: "post_service",
                migrations: try PostServiceMigrations.all()
            )
            let users = try process.addGRPCClient(urlKey: "user.service.url", defaultTarget: "127.0.0.1:50051")
            let images = try process.addGRPCClient(urlKey: "image.service.url", defaultTarget: "127.0.0.1:50054")
            let notification = try process.addGRPCClient(
                urlKey: "notification.service.url",
                defaultTarget: "127.0.0.1:50053"
            )
            try process.addOutboxRelay(
                client: postgres,
                topics: [NotificationDelivery(client: notification).topic]
                    + PostPictureDelivery.topics(images: images, postgres: postgres, logger: process.logger))
            try process.addGRPCServer(
                defaultPort: 50052,
                services: PostServiceHandlers.make(
                    postgres: postgres,
                    users: GRPCUserDirectory(client: users),
                    pictures: ImageServicePictureStore(images: Alpha_Image_V1_Images.Client(wrapping: images)),
                    notifier: OutboxRepostNotifier(),
                    logger: process.logger
                ),
                serviceNames: PostServiceHandlers.serviceNames
            )
        }
    }
}
