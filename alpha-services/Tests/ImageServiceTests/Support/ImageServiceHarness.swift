import AlphaContracts
import AlphaGRPC
import AlphaPostgres
import AlphaTesting
import Foundation
import GRPCCore
import GRPCInProcessTransport
import ImageService
import Logging
import PostgresNIO

/// The image service as it runs in production, minus the network: the handler behind the kit's
/// interceptor chain on the in-process transport, storing in a fresh PostgreSQL database.
struct ImageServiceHarness: Sendable {
    let images: Alpha_Image_V1_Images.Client<InProcessTransport.Client>
    let identity: TestIdentity
    /// search_path = image_service.
    let database: PostgresClient
    let configuration: ImageServiceConfiguration
    let logger: Logger

    static func run<T: Sendable>(
        configuration: ImageServiceConfiguration = ImageServiceConfiguration(publicBaseURL: "https://alpha.test/api"),
        sendCredential: Bool = true,
        _ body: @Sendable (ImageServiceHarness) async throws -> T
    ) async throws -> T {
        let logger = {
            var logger = Logger(label: "image-service-tests")
            logger.logLevel = .error
            return logger
        }()
        let testDatabase = try await TestPostgres.createDatabase(logger: logger)
        do {
            let settings = testDatabase.settings(schema: "image_service", poolSize: 4)
            let result = try await withPostgresClient(settings.clientConfiguration, logger: logger) { client in
                try await MigrationRunner(
                    schema: "image_service", migrations: ImageServiceMigrations.all(), logger: logger
                )
                .run(on: client)
                let identity = TestIdentity()
                let handler = ImagesHandler(
                    store: PostgresImageStore(client: client, logger: logger),
                    configuration: configuration,
                    logger: logger
                )
                return try await withInProcessServer(
                    services: [handler], identity: identity, logger: logger, sendCredential: sendCredential
                ) { grpc in
                    try await body(
                        ImageServiceHarness(
                            images: Alpha_Image_V1_Images.Client(wrapping: grpc),
                            identity: identity,
                            database: client,
                            configuration: configuration,
                            logger: logger
                        ))
                }
            }
            try? await testDatabase.drop(logger: logger)
            return result
        } catch {
            try? await testDatabase.drop(logger: logger)
            throw error
        }
    }

    /// Runs `body` with `username`'s access token forwarded on every call (as the gateway does).
    func asUser<T>(_ username: String, _ body: () async throws -> T) async rethrows -> T {
        try await ForwardedUserToken.$current.withValue(await identity.accessToken(for: username)) {
            try await body()
        }
    }

    func upload(
        _ data: Data, kind: Alpha_Image_V1_ImageOwnerKind = .profile, owner: String, commit: Bool = false
    ) async throws -> Alpha_Image_V1_UploadImageResponse {
        try await images.uploadImage(
            .with {
                $0.kind = kind
                $0.owner = owner
                $0.data = data
                $0.commit = commit
            })
    }

    func commit(_ upload: Alpha_Image_V1_UploadImageResponse) async throws {
        _ = try await images.commitImage(.with { $0.uploadID = upload.uploadID })
    }

    func get(_ name: String, ifNoneMatch: String = "") async throws -> Alpha_Image_V1_GetImageResponse {
        try await images.getImage(
            .with {
                $0.name = name
                $0.ifNoneMatch = ifNoneMatch
            })
    }

    /// Rows in the table (committed and pending) for `owner`.
    func rows(owner: String) async throws -> [(name: String, committed: Bool)] {
        let rows = try await database.query(
            "SELECT name, committed FROM images WHERE owner_id = \(owner) ORDER BY created_at", logger: logger)
        var result: [(String, Bool)] = []
        for try await row in rows.decode((String, Bool).self) { result.append(row) }
        return result
    }
}
