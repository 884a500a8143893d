import AlphaAuth
import AlphaGRPC
import AlphaOutbox
import AlphaPostgres
import AlphaRuntime
import NotificationOutbox
import UserService

/// user-service: accounts, profiles and follows, on the `user_service` schema. gRPC :50051, admin :9101.
/// Mails (activation, reset, welcome) and follow notifications are written to the schema's outbox with the account change, and the
/// outbox relay delivers them to the notification service at `NOTIFICATION_SERVICE_URL` after the commit;
/// profile picture commits and deletions go the same way to the image service at `IMAGE_SERVICE_URL`, and
/// follow changes to the post service's copy of the follow graph at `POST_SERVICE_URL`.
@main
enum UserServiceMain {
    static func main() async {
        await ServiceProcess.run(name: "user-service", defaultAdminPort: 9101) { process in
            let postgres = try process.addPostgres(
                defaultSchema: "user_service",
                migrations: try UserServiceMigrations.all()
            )
            let notification = try process.addGRPCClient(
                urlKey: "notification.service.url",
                defaultTarget: "127.0.0.1:50053"
            )
            let images = try process.addGRPCClient(urlKey: "image.service.url", defaultTarget: "127.0.0.1:50054")
            let posts = try process.addGRPCClient(urlKey: "post.service.url", defaultTarget: "127.0.0.1:50052")
            try process.addOutboxRelay(
                client: postgres,
                topics: [
                    AccountMailDelivery(client: notification).topic,
                    NotificationDelivery(client: notification).topic,
                    FollowChangeDelivery(client: posts).topic,
                ] + ProfilePictureDelivery.topics(images: images, postgres: postgres, logger: process.logger))
            try process.addGRPCServer(
                defaultPort: 50051,
                services: UserServiceHandlers.make(
                    postgres: postgres,
                    refreshLifetime: try TokenPolicy(settings: process.settings).refreshLifetime,
                    policy: try AccountPolicy(settings: process.settings),
                    logger: process.logger
                )
            )
        }
    }
}
