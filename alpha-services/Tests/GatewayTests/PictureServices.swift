import AlphaContracts
import AlphaCore
import AlphaGRPC
import AlphaPostgres
import AlphaTesting
import GRPCCore
import ImageService
import Logging
import PostgresNIO
import UserService

@testable import Gateway

/// What both picture suites (``PictureUploadsTests``, ``PostPicturesTests``) stand on: the real image service
/// behind ``Faults`` and the real user service on one gRPC server over loopback, each on its migrated schema
/// of a fresh test database, and a client of that server with the suite's users registered.
struct PictureServices: Sendable {
    let database: TestDatabase
    let faults: Faults
    let identity: TestIdentity
    let imageDatabase: PostgresClient
    let userDatabase: PostgresClient
    /// The client of the image and user services.
    let client: GRPCClient<Upstreams.Transport>
    let logger: Logger

    var images: Alpha_Image_V1_Images.Client<Upstreams.Transport> { Alpha_Image_V1_Images.Client(wrapping: client) }

    /// Whether the image service serves the image `name` (E25).
    func serves(imageNamed name: String) async throws -> Bool {
        do {
            _ = try await images.getImage(.with { $0.name = name })
            return true
        } catch let error as RPCError where error.code == .notFound {
            return false
        }
    }

    /// Runs `body` with the services; `usernames` are registered (password `Secret#123`). `deadline` is
    /// the client's own RPC deadline.
    static func run(
        label: String,
        registering usernames: [String],
        deadline: Duration,
        _ body: @Sendable (PictureServices) async throws -> Void
    ) async throws {
        let logger = {
            var logger = Logger(label: label)
            logger.logLevel = .critical
            return logger
        }()
        try await TestPostgres.withDatabase(logger: logger) { database in
            try await withMigratedClient(
                database, schema: "image_service", migrations: ImageServiceMigrations.all(), logger: logger
            ) { imageDatabase in
                try await withMigratedClient(
                    database, schema: "user_service", migrations: UserServiceMigrations.all(), logger: logger
                ) { userDatabase in
                    let identity = TestIdentity()
                    let faults = Faults()
                    let images = FaultyImages(
                        real: ImagesHandler(
                            store: PostgresImageStore(client: imageDatabase, logger: logger),
                            configuration: ImageServiceConfiguration(), logger: logger),
                        faults: faults)
                    let services: [any RegistrableRPCService] =
                        [images]
                        + UserServiceHandlers.make(
                            postgres: userDatabase, refreshLifetime: identity.policy.refreshLifetime, logger: logger)
                    try await withLoopbackServer(
                        services, identity: identity, deadline: deadline, logger: logger
                    ) { client in
                        for username in usernames {
                            _ = try await Alpha_User_V1_Accounts.Client(wrapping: client).registerUser(
                                .with {
                                    $0.username = username
                                    $0.password = "Secret#123"
                                    $0.email = "\(username)@example.org"
                                })
                        }
                        try await body(
                            PictureServices(
                                database: database, faults: faults, identity: identity, imageDatabase: imageDatabase,
                                userDatabase: userDatabase, client: client, logger: logger))
                    }
                }
            }
        }
    }
}

/// A client of `schema` in `database`, migrated, for the duration of `body`.
func withMigratedClient<T: Sendable>(
    _ database: TestDatabase,
    schema: String,
    migrations: [Migration],
    logger: Logger,
    _ body: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    try await withPostgresClient(database.settings(schema: schema, poolSize: 4).clientConfiguration, logger: logger) {
        client in
        try await MigrationRunner(schema: schema, migrations: migrations, logger: logger).run(on: client)
        return try await body(client)
    }
}

/// Serves `services` on a gRPC server at 127.0.0.1 (a free port) for the duration of `body`, which gets a
/// client of it; then the client and the server shut down gracefully, also when `body` throws.
func withLoopbackServer(
    _ services: [any RegistrableRPCService],
    identity: TestIdentity,
    deadline: Duration,
    logger: Logger,
    _ body: @Sendable (GRPCClient<Upstreams.Transport>) async throws -> Void
) async throws {
    let server = GRPCServerService(
        host: "127.0.0.1", port: 0, services: services, identity: identity.interceptor, readiness: .init(),
        logger: logger)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.server.serve() }
        let client = try GRPCClientService(
            host: "127.0.0.1", port: try await server.listeningPort(), credential: identity.credential,
            timeout: deadline)
        group.addTask { try await client.client.runConnections() }
        let failure: (any Error)?
        do {
            try await body(client.client)
            failure = nil
        } catch {
            failure = error
        }
        client.client.beginGracefulShutdown()
        server.server.beginGracefulShutdown()
        try await group.waitForAll()
        if let failure { throw failure }
    }
}
