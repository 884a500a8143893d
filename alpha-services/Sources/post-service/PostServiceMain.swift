import AlphaContracts
import AlphaGRPC
import AlphaPostgres
import AlphaRuntime
import PostService

/// post-service: posts, feeds, likes and comments, on the `post_service` schema. gRPC :50052, admin :9102.
@main
enum PostServiceMain {
    static func main() async {
        await ServiceProcess.run(name: "post-service", defaultAdminPort: 9102) { process in
            _ = try await process.addPostgres(defaultSchema: "post_service", migrations: [])
            try process.addGRPCServer(
                defaultPort: 50052,
                services: [PostsHandler()],
                serviceNames: [Alpha_Post_V1_Posts.descriptor.fullyQualifiedService]
            )
        }
    }
}
