import AlphaContracts
import AlphaGRPC
import AlphaPostgres
import AlphaRuntime
import NotificationService

/// notification-service: the mail outbox and its delivery worker (and later notifications and push), on
/// the `notification_service` schema. gRPC :50053, admin :9103.
@main
enum NotificationServiceMain {
    static func main() async {
        await ServiceProcess.run(name: "notification-service", defaultAdminPort: 9103) { process in
            let mail = try MailConfiguration(settings: process.settings)
            let postgres = try await process.addPostgres(
                defaultSchema: "notification_service",
                migrations: try NotificationServiceMigrations.all()
            )
            let outbox = PostgresMailOutbox(client: postgres, logger: process.logger)
            try process.addGRPCServer(
                defaultPort: 50053,
                services: [MailHandler(outbox: outbox)],
                serviceNames: [Alpha_Notification_V1_Mail.descriptor.fullyQualifiedService]
            )
            // After the client it uses; stops before it. Mailgun is reached through HTTPClient.shared, which
            // lives as long as the process and needs no shutdown.
            process.add(
                MailDeliveryWorker(
                    queue: outbox,
                    sender: mail.makeSender(logger: process.logger),
                    from: mail.from,
                    configuration: mail.delivery,
                    logger: process.logger
                )
            )
        }
    }
}
