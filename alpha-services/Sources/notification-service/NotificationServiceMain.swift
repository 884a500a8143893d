import AlphaContracts
import AlphaGRPC
import AlphaPostgres
import AlphaRuntime
import NotificationService

/// notification-service: the mail outbox, notifications, push subscriptions and the mail and push
/// delivery workers, on the `notification_service` schema. gRPC :50053, admin :9103.
@main
enum NotificationServiceMain {
    static func main() async {
        await ServiceProcess.run(name: "notification-service", defaultAdminPort: 9103) { process in
            let mail = try MailConfiguration(settings: process.settings)
            let push = try PushConfiguration(settings: process.settings)
            let postgres = try process.addPostgres(
                defaultSchema: "notification_service",
                migrations: try NotificationServiceMigrations.all()
            )
            let outbox = PostgresMailOutbox(client: postgres, logger: process.logger)
            let notifications = PostgresNotificationStore(client: postgres, logger: process.logger)
            try process.addGRPCServer(
                defaultPort: 50053,
                services: [
                    MailHandler(outbox: outbox),
                    NotificationsHandler(store: notifications),
                    PushHandler(store: notifications, vapid: push.vapid, policy: push.endpointPolicy),
                ]
            )
            // After the client they use; stop before it. Mailgun and Expo are reached through
            // HTTPClient.shared, which lives as long as the process and needs no shutdown.
            process.add(
                MailDeliveryWorker(
                    queue: outbox,
                    sender: mail.makeSender(logger: process.logger),
                    from: mail.from,
                    configuration: mail.delivery,
                    logger: process.logger
                )
            )
            process.add(
                PushDeliveryWorker(
                    queue: PostgresPushDeliveryQueue(client: postgres, logger: process.logger),
                    web: push.makeWebSender(logger: process.logger),
                    expo: push.makeExpoSender(logger: process.logger),
                    configuration: push.delivery,
                    logger: process.logger
                )
            )
        }
    }
}
