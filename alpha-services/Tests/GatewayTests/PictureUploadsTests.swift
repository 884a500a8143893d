import AlphaAuth
import AlphaContracts
import AlphaGRPC
import AlphaPostgres
import AlphaTesting
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import ImageService
import ImageTestSupport
import Logging
import PostgresNIO
import Synchronization
import Testing

@testable import Gateway

/// The gateway's three picture steps (upload pending → save owner → commit) against the real image
/// service over loopback gRPC and PostgreSQL, failing each step in turn.
@Suite("Picture uploads: a failure at any step leaves no orphan", .serialized)
struct PictureUploadsTests {
    /// The real image handler; `failCommits` makes the next N CommitImage calls fail as if the service
    /// were unreachable.
    struct FaultyImages: Alpha_Image_V1_Images.SimpleServiceProtocol {
        let real: ImagesHandler
        let failCommits: Counter

        func getStats(request: Alpha_Image_V1_GetStatsRequest, context: ServerContext) async throws
            -> Alpha_Image_V1_GetStatsResponse
        { try await real.getStats(request: request, context: context) }
        func uploadImage(request: Alpha_Image_V1_UploadImageRequest, context: ServerContext) async throws
            -> Alpha_Image_V1_UploadImageResponse
        { try await real.uploadImage(request: request, context: context) }
        func commitImage(request: Alpha_Image_V1_CommitImageRequest, context: ServerContext) async throws
            -> Alpha_Image_V1_CommitImageResponse
        {
            let fail = failCommits.value.withLock { remaining in
                defer { remaining = max(0, remaining - 1) }
                return remaining > 0
            }
            if fail { throw RPCError(code: .unavailable, message: "commit fault (test)") }
            return try await real.commitImage(request: request, context: context)
        }
        func discardImage(request: Alpha_Image_V1_DiscardImageRequest, context: ServerContext) async throws
            -> Alpha_Image_V1_DiscardImageResponse
        { try await real.discardImage(request: request, context: context) }
        func deleteImages(request: Alpha_Image_V1_DeleteImagesRequest, context: ServerContext) async throws
            -> Alpha_Image_V1_DeleteImagesResponse
        { try await real.deleteImages(request: request, context: context) }
        func getImage(request: Alpha_Image_V1_GetImageRequest, context: ServerContext) async throws
            -> Alpha_Image_V1_GetImageResponse
        { try await real.getImage(request: request, context: context) }
    }

    struct Harness: @unchecked Sendable {
        let pictures: PictureUploads
        let images: Alpha_Image_V1_Images.Client<Upstreams.Transport>
        let faults: FaultyImages
        let database: PostgresClient
        let logger: Logger

        func rows(owner: String) async throws -> [(String, Bool)] {
            let rows = try await database.query(
                "SELECT name, committed FROM images WHERE owner_id = \(owner)", logger: logger)
            var result: [(String, Bool)] = []
            for try await row in rows.decode((String, Bool).self) { result.append(row) }
            return result
        }
    }

    func withHarness(_ body: @Sendable (Harness) async throws -> Void) async throws {
        let logger = {
            var logger = Logger(label: "picture-uploads-tests")
            logger.logLevel = .critical
            return logger
        }()
        let testDatabase = try await TestPostgres.createDatabase(logger: logger)
        do {
            try await run(on: testDatabase, logger: logger, body)
            try? await testDatabase.drop(logger: logger)
        } catch {
            try? await testDatabase.drop(logger: logger)
            throw error
        }
    }

    private func run(
        on testDatabase: TestDatabase, logger: Logger, _ body: @Sendable (Harness) async throws -> Void
    ) async throws {
        let settings = testDatabase.settings(schema: "image_service", poolSize: 2)
        try await withPostgresClient(settings.clientConfiguration, logger: logger) { database in
            try await MigrationRunner(schema: "image_service", migrations: ImageServiceMigrations.all(), logger: logger)
                .run(on: database)
            let identity = TestIdentity()
            let faults = FaultyImages(
                real: ImagesHandler(
                    store: PostgresImageStore(client: database, logger: logger),
                    configuration: ImageServiceConfiguration(),
                    logger: logger),
                failCommits: Counter())
            let server = GRPCServerService(
                host: "127.0.0.1", port: 0, services: [faults], identity: identity.interceptor,
                readiness: .init(), logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.server.serve() }
                let port = try await server.listeningPort()
                let client = try GRPCClientService(
                    host: "127.0.0.1", port: port, credential: identity.credential, timeout: .seconds(10))
                group.addTask { try await client.client.runConnections() }
                let images = Alpha_Image_V1_Images.Client(wrapping: client.client)
                try await body(
                    Harness(
                        pictures: PictureUploads(images: images, logger: logger), images: images, faults: faults,
                        database: database, logger: logger))
                client.client.beginGracefulShutdown()
                server.server.beginGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    struct OwnerSaveFailed: Error {}

    final class Counter: Sendable {
        let value = Mutex(0)
    }

    @Test("a refused picture stops before the owner is saved; nothing is stored")
    func refusedPicture() async throws {
        try await withHarness { harness in
            let saved = Counter()
            await #expect(throws: APIError(.badRequest)) {
                try await harness.pictures.store(TestImages.gif, kind: .profile, owner: "alice", token: nil) { _ in
                    saved.value.withLock { $0 += 1 }
                }
            }
            #expect(saved.value.withLock { $0 } == 0)
            let rows = try await harness.rows(owner: "alice")
            #expect(rows.count == 0)
        }
    }

    @Test("an owner that fails to save leaves no image behind, and the previous picture untouched")
    func ownerSaveFails() async throws {
        try await withHarness { harness in
            try await harness.pictures.store(TestImages.png(), kind: .profile, owner: "alice", token: nil) { _ in }
            await #expect(throws: OwnerSaveFailed.self) {
                try await harness.pictures.store(TestImages.jpeg(), kind: .profile, owner: "alice", token: nil) {
                    picture in
                    #expect(picture.url.hasSuffix("/images?image=alice.jpeg"))
                    throw OwnerSaveFailed()
                }
            }
            #expect(try await harness.rows(owner: "alice").map(\.0) == ["alice.png"])
            #expect(try await harness.images.getImage(.with { $0.name = "alice.png" }).data == TestImages.png())
        }
    }

    @Test("a commit that fails after the owner was saved is retried, then the picture is served")
    func commitRetried() async throws {
        try await withHarness { harness in
            harness.faults.failCommits.value.withLock { $0 = PictureUploads.commitAttempts - 1 }
            try await harness.pictures.store(TestImages.webp(), kind: .profile, owner: "alice", token: nil) { _ in }
            #expect(try await harness.rows(owner: "alice").map(\.1) == [true])
            #expect(try await harness.images.getImage(.with { $0.name = "alice.webp" }).contentType == "image/webp")
        }
    }

    @Test("a commit that keeps failing answers 500, and the upload is never served")
    func commitFailsForGood() async throws {
        try await withHarness { harness in
            harness.faults.failCommits.value.withLock { $0 = PictureUploads.commitAttempts }
            await #expect(throws: APIError(.internalServerError, status: 503)) {
                try await harness.pictures.store(TestImages.webp(), kind: .profile, owner: "alice", token: nil) { _ in }
            }
            let rows = try await harness.rows(owner: "alice")
            #expect(rows.map(\.1) == [false])
        }
    }

    @Test("a successful upload replaces and deletes the previous picture (D44)")
    func replaces() async throws {
        try await withHarness { harness in
            try await harness.pictures.store(TestImages.png(), kind: .profile, owner: "alice", token: nil) { _ in }
            try await harness.pictures.store(TestImages.jpeg(), kind: .profile, owner: "alice", token: nil) { _ in }
            #expect(try await harness.rows(owner: "alice").map(\.0) == ["alice.jpeg"])
            await harness.pictures.delete(kind: .profile, owner: "alice", token: nil)
            #expect(try await harness.rows(owner: "alice").count == 0)
        }
    }
}
