import AlphaGRPC
import AlphaRuntime
import Gateway

/// api-gateway: the public REST API (HTTP :8080, admin :9100), calling the services over gRPC.
@main
enum ApiGatewayMain {
    static func main() async {
        await ServiceProcess.run(name: "api-gateway", defaultAdminPort: 9100) { process in
            let configuration = try GatewayConfiguration(settings: process.settings)
            let (issuer, verifier) = try GatewayKeys.fromSettings(process.settings)
            let upstreams = Upstreams(
                user: try process.addGRPCClient(
                    urlKey: "user.service.url", defaultTarget: "127.0.0.1:50051",
                    idempotentMethods: Upstreams.idempotentUserMethods),
                post: try process.addGRPCClient(
                    urlKey: "post.service.url", defaultTarget: "127.0.0.1:50052",
                    idempotentMethods: Upstreams.idempotentPostMethods),
                notification: try process.addGRPCClient(
                    urlKey: "notification.service.url", defaultTarget: "127.0.0.1:50053",
                    idempotentMethods: Upstreams.idempotentNotificationMethods),
                image: try process.addGRPCClient(urlKey: "image.service.url", defaultTarget: "127.0.0.1:50054")
            )
            let dependencies = GatewayDependencies(
                configuration: configuration,
                upstreams: upstreams,
                issuer: issuer,
                verifier: verifier,
                logger: process.logger
            )
            process.add(GatewayApplication.make(dependencies: dependencies))
        }
    }
}
