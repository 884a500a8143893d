import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaGRPC
import AlphaOutbox
import AlphaPostgres
import AlphaTesting
import Foundation
import GRPCCore
import ImageService
import ImageTestSupport
import Logging
import PostService
import PostgresNIO
import ServiceLifecycle
import Testing
import UserService

@testable import Gateway

/// Post pictures (E16, E17) through the real post service (its save writes the image commit into its
/// outbox, its deletion the image deletion) and its real outbox relay, the real image service behind
/// ``Faults`` and the real user service, over loopback gRPC on one PostgreSQL database — failing each step.
/// After every scenario each post's picture URL is served and every stored post image belongs to a post
/// that shows it.
@Suite("Post pictures: the post's save is the commit point; no dangling URL, no orphan", .serialized)
struct PostPicturesTests {
    /// The harness's own RPC deadline: generous, because the first tests start while the whole test run
    /// (five-process end-to-end suites included) loads the machine and bcrypt runs in a debug build.
    /// What the tests assert about deadlines is the gateway's, not this one.
    static let harnessDeadline = Duration.seconds(60)

    @dynamicMemberLookup
    struct Harness: Sendable {
        let services: PictureServices
        let posts: Alpha_Post_V1_Posts.Client<Upstreams.Transport>
        let postDatabase: PostgresClient

        subscript<Value>(dynamicMember keyPath: KeyPath<PictureServices, Value>) -> Value { services[keyPath: keyPath] }

        /// E16 as alice, with `picture` (base64) and optionally a repost of `repostOf`.
        func create(_ picture: Data, repostOf: String = "") async throws -> Alpha_Post_V1_Post {
            try await upstream(token: await services.identity.accessToken(for: "alice"), logger: services.logger) {
                try await posts.createPost(
                    .with {
                        $0.content = "with a picture"
                        $0.picture = picture.base64EncodedString()
                        $0.repostedPostID = repostOf
                    })
            }
        }

        /// E17 as alice.
        func delete(_ postID: String) async throws {
            _ = try await upstream(token: await services.identity.accessToken(for: "alice"), logger: services.logger) {
                try await posts.deletePost(.with { $0.postID = postID })
            }
        }

        func served(_ name: String) async throws -> Bool { try await services.serves(imageNamed: name) }

        /// Stored post images: (name, committed).
        func rows() async throws -> [(String, Bool)] {
            let rows = try await services.imageDatabase.query(
                "SELECT name, committed FROM images WHERE owner_kind = 'post' ORDER BY name", logger: services.logger)
            var result: [(String, Bool)] = []
            for try await row in rows.decode((String, Bool).self) { result.append(row) }
            return result
        }

        /// Posts and their picture URLs (`nil`: no picture).
        func storedPosts() async throws -> [(UUID, String?)] {
            let rows = try await postDatabase.query("SELECT post_id, picture_url FROM posts", logger: services.logger)
            var result: [(UUID, String?)] = []
            for try await row in rows.decode((UUID, String?).self) { result.append(row) }
            return result
        }

        func outboxCount() async throws -> Int {
            try await pictureChangesWaiting(in: postDatabase, logger: services.logger)
        }

        /// Runs the outbox relay of picture changes, as the service's main wires it, until they are delivered.
        func relayUntilDrained() async throws {
            try await relayPictureChanges(
                database: postDatabase,
                topics: PostPictureDelivery.topics(
                    images: services.client, postgres: postDatabase, logger: services.logger),
                logger: services.logger)
        }

        /// No dangling URL (every post's picture is served), no orphan (every stored post image is committed
        /// and shown by its post).
        func expectConsistent(sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let posts = try await storedPosts()
            var shown: Set<String> = []
            for case (_, let url?) in posts {
                let name = String(url.split(separator: "=").last ?? "")
                shown.insert(name)
                #expect(try await served(name), "dangling URL \(url)", sourceLocation: sourceLocation)
            }
            for (name, committed) in try await rows() {
                #expect(committed && shown.contains(name), "orphan \(name)", sourceLocation: sourceLocation)
            }
        }
    }

    /// The post service on a second server, calling the first (images and users) as post-service does.
    func withHarness(_ body: @Sendable (Harness) async throws -> Void) async throws {
        try await PictureServices.run(
            label: "post-pictures-tests", registering: ["alice"], deadline: Self.harnessDeadline
        ) { services in
            try await withMigratedClient(
                services.database, schema: "post_service", migrations: PostServiceMigrations.all(),
                logger: services.logger
            ) { postDatabase in
                let posts = PostServiceHandlers.make(
                    postgres: postDatabase, users: GRPCUserDirectory(client: services.client),
                    pictures: ImageServicePictureStore(images: services.images), logger: services.logger)
                try await withLoopbackServer(
                    posts, identity: services.identity, deadline: Self.harnessDeadline, logger: services.logger
                ) { client in
                    try await body(
                        Harness(
                            services: services, posts: Alpha_Post_V1_Posts.Client(wrapping: client),
                            postDatabase: postDatabase))
                }
            }
        }
    }

    @Test("a post's picture is served as soon as E16 returns; E17 deletes it (D44)")
    func createAndDelete() async throws {
        try await withHarness { harness async throws in
            let post = try await harness.create(TestImages.png())
            #expect(post.picture.url.hasSuffix("image=\(post.postID).png"))
            #expect(try await harness.served("\(post.postID).png"))
            try await harness.expectConsistent()
            try await harness.delete(post.postID)
            #expect(try await !harness.served("\(post.postID).png"))
            try await harness.relayUntilDrained()
            #expect(try await harness.rows().isEmpty)
            try await harness.expectConsistent()
        }
    }

    @Test("image service down at upload: 503, no post, nothing stored")
    func downAtUpload() async throws {
        try await withHarness { harness async throws in
            harness.faults.down.withLock { $0 = true }
            await #expect(throws: APIError(.internalServerError, status: 503)) {
                _ = try await harness.create(TestImages.jpeg())
            }
            harness.faults.down.withLock { $0 = false }
            #expect(try await harness.storedPosts().isEmpty)
            #expect(try await harness.rows().isEmpty)
        }
    }

    @Test("the post fails to save (unknown original): 404 ERR-020, the upload is discarded")
    func postFailsToSave() async throws {
        try await withHarness { harness async throws in
            await #expect(throws: APIError(.postNotFound)) {
                _ = try await harness.create(TestImages.webp(), repostOf: UUID().uuidString.lowercased())
            }
            #expect(try await harness.storedPosts().isEmpty)
            #expect(try await harness.rows().isEmpty)
            #expect(try await harness.outboxCount() == 0)
        }
    }

    @Test("image service down at commit: the post is created (no 500); the relay commits the picture once it is back")
    func downAtCommit() async throws {
        try await withHarness { harness async throws in
            harness.faults.failCommits.withLock { $0 = 1_000 }
            let post = try await harness.create(TestImages.png())
            #expect(try await harness.rows().map(\.1) == [false])  // saved, pending
            harness.faults.failCommits.withLock { $0 = 0 }
            try await harness.relayUntilDrained()
            #expect(try await harness.served("\(post.postID).png"))
            try await harness.expectConsistent()
        }
    }

    @Test("image service down at E17: 204; the relay deletes the picture once it is back")
    func downAtDelete() async throws {
        try await withHarness { harness async throws in
            let post = try await harness.create(TestImages.jpeg())
            harness.faults.down.withLock { $0 = true }
            try await harness.delete(post.postID)
            harness.faults.down.withLock { $0 = false }
            #expect(try await harness.rows().count == 1)
            try await harness.relayUntilDrained()
            #expect(try await harness.rows().isEmpty)
        }
    }

    @Test("a commit that arrives after the post's deletion is stale: the upload is discarded, no orphan")
    func commitAfterDeletion() async throws {
        try await withHarness { harness async throws in
            harness.faults.failCommits.withLock { $0 = 1 }
            let post = try await harness.create(TestImages.png())
            try await harness.delete(post.postID)
            try await harness.relayUntilDrained()
            #expect(try await harness.rows().isEmpty)
            try await harness.expectConsistent()
        }
    }

    @Test("an upload gone before its commit (swept after a long outage): the post is left without picture")
    func uploadGoneBeforeCommit() async throws {
        try await withHarness { harness async throws in
            harness.faults.failCommits.withLock { $0 = 1 }
            let post = try await harness.create(TestImages.webp())
            _ = try await harness.imageDatabase.query("DELETE FROM images WHERE NOT committed", logger: harness.logger)
            try await harness.relayUntilDrained()
            let stored = try await harness.storedPosts()
            #expect(stored.count == 1 && stored.first?.0.uuidString.lowercased() == post.postID)
            #expect(stored.first?.1 == nil)
            try await harness.expectConsistent()
        }
    }
}
