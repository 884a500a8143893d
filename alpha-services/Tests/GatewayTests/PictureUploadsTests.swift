import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaGRPC
import AlphaOutbox
import AlphaPostgres
import AlphaTesting
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import ImageService
import ImageTestSupport
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization
import Testing
import UserService

@testable import Gateway

/// Profile pictures end to end below HTTP: the gateway's steps (``PictureUploads``), the real user service
/// (its save writes the image commit into its outbox) and its real outbox relay, and the real image service
/// over loopback gRPC, on one PostgreSQL database — failing each step in turn. After every scenario the
/// profile's URL is served (no dangling URL) and no stored image lacks an owner (no orphan).
@Suite("Profile pictures: the owner's save is the commit point; no dangling URL, no orphan", .serialized)
struct PictureUploadsTests {
    /// The harness's own RPC deadline: generous, because the first tests start while the whole test run
    /// (five-process end-to-end suites included) loads the machine and bcrypt runs in a debug build.
    /// What the tests assert about deadlines is the gateway's, not this one.
    static let harnessDeadline = Duration.seconds(60)

    struct OwnerSaveFailed: Error {}

    @dynamicMemberLookup
    struct Harness: Sendable {
        let services: PictureServices

        subscript<Value>(dynamicMember keyPath: KeyPath<PictureServices, Value>) -> Value { services[keyPath: keyPath] }

        var pictures: PictureUploads { PictureUploads(images: services.images, logger: services.logger) }
        var users: Alpha_User_V1_Users.Client<Upstreams.Transport> { .init(wrapping: services.client) }

        func token(_ username: String) async -> String { await services.identity.accessToken(for: username) }

        /// E10 with a picture, as ``UserRoutes`` runs it; `afterSave` runs once the profile is saved (a
        /// throw there is a save whose answer was lost).
        @discardableResult
        func upload(
            _ data: Data, as username: String = "alice", afterSave: @Sendable () throws -> Void = {}
        ) async throws -> Alpha_User_V1_UpdateProfileResponse {
            let token = await token(username)
            return try await pictures.store(data, owner: username, token: token) { picture, uploadID in
                let updated = try await upstream(token: token, logger: services.logger) {
                    try await users.updateProfile(
                        .with {
                            $0.picture = picture
                            $0.pictureUploadID = uploadID
                        })
                }
                try afterSave()
                return .init(result: updated, pictureVersion: updated.pictureVersion)
            }
        }

        /// E10 with `picture: ""`, as ``UserRoutes`` runs it.
        func reset(_ username: String = "alice") async throws {
            let token = await token(username)
            let updated = try await upstream(token: token, logger: services.logger) {
                try await users.updateProfile(.with { $0.resetPicture = true })
            }
            await pictures.deleteNow(owner: username, version: updated.pictureVersion, token: token)
        }

        /// The picture URL the profile shows.
        func profileURL(_ username: String = "alice") async throws -> String {
            let rows = try await services.userDatabase.query(
                "SELECT picture_url FROM users WHERE username = \(username)", logger: services.logger)
            for try await url in rows.decode(String.self) { return url }
            throw OwnerSaveFailed()
        }

        /// Whether E25 serves `url` (the default avatar lives elsewhere and counts as served).
        func serves(_ url: String) async throws -> Bool {
            guard let name = url.components(separatedBy: "image=").dropFirst().first else {
                return url == ProfilePicture.defaultAvatar.url
            }
            return try await services.serves(imageNamed: name)
        }

        /// Every stored image of `owner`: (name, committed).
        func rows(owner: String = "alice") async throws -> [(String, Bool)] {
            let rows = try await services.imageDatabase.query(
                "SELECT name, committed FROM images WHERE owner_id = \(owner) ORDER BY name", logger: services.logger)
            var result: [(String, Bool)] = []
            for try await row in rows.decode((String, Bool).self) { result.append(row) }
            return result
        }

        func outboxCount() async throws -> Int {
            try await pictureChangesWaiting(in: services.userDatabase, logger: services.logger)
        }

        /// Runs the outbox relay of picture changes, as the service's main wires it, until they are delivered.
        func relayUntilDrained() async throws {
            try await relayPictureChanges(
                database: services.userDatabase,
                topics: ProfilePictureDelivery.topics(
                    images: services.client, postgres: services.userDatabase, logger: services.logger),
                logger: services.logger)
        }

        /// No dangling URL, no orphan: the profile's URL is served, and the only stored image of `owner` is
        /// the committed one the profile names (none for the default avatar).
        func expectConsistent(_ username: String = "alice", sourceLocation: SourceLocation = #_sourceLocation)
            async throws
        {
            let url = try await profileURL(username)
            #expect(try await serves(url), "dangling URL \(url)", sourceLocation: sourceLocation)
            let stored = try await rows(owner: username)
            if url == ProfilePicture.defaultAvatar.url {
                #expect(stored.isEmpty, "orphans \(stored)", sourceLocation: sourceLocation)
            } else {
                #expect(stored.count == 1 && stored[0].1, "stored \(stored)", sourceLocation: sourceLocation)
                #expect(url.hasSuffix("image=\(stored.first?.0 ?? "-")"), sourceLocation: sourceLocation)
            }
        }
    }

    func withHarness(_ body: @Sendable (Harness) async throws -> Void) async throws {
        try await PictureServices.run(
            label: "picture-uploads-tests", registering: ["alice", "bob"], deadline: Self.harnessDeadline
        ) { services in
            try await body(Harness(services: services))
        }
    }

    @Test("a refused picture stops before the owner is saved; nothing is stored")
    func refusedPicture() async throws {
        try await withHarness { harness async throws in
            await #expect(throws: APIError(.badRequest)) {
                _ = try await harness.upload(TestImages.gif)
            }
            let url = try await harness.profileURL()
            #expect(url == ProfilePicture.defaultAvatar.url)
            let stored = try await harness.rows()
            #expect(stored.isEmpty)
            let messages = try await harness.outboxCount()
            #expect(messages == 0)
        }
    }

    @Test("a picture is served as soon as the request returns, replacing and deleting the previous one (D44)")
    func replaces() async throws {
        try await withHarness { harness async throws in
            try await harness.upload(TestImages.png())
            #expect(try await harness.profileURL().hasSuffix("image=alice.png"))
            try await harness.expectConsistent()
            try await harness.upload(TestImages.jpeg())
            #expect(try await harness.profileURL().hasSuffix("image=alice.jpeg"))
            try await harness.expectConsistent()
            try await harness.relayUntilDrained()  // the outbox's copies of both commits change nothing
            try await harness.expectConsistent()
            try await harness.reset()
            try await harness.expectConsistent()
            try await harness.relayUntilDrained()
            try await harness.expectConsistent()
        }
    }

    @Test("image service down at upload: 503, the profile and its picture unchanged, nothing stored")
    func downAtUpload() async throws {
        try await withHarness { harness async throws in
            try await harness.upload(TestImages.png())
            harness.faults.down.withLock { $0 = true }
            await #expect(throws: APIError(.internalServerError, status: 503)) {
                try await harness.upload(TestImages.jpeg())
            }
            harness.faults.down.withLock { $0 = false }
            #expect(try await harness.profileURL().hasSuffix("image=alice.png"))
            try await harness.relayUntilDrained()
            try await harness.expectConsistent()
        }
    }

    @Test("the owner's save fails: the upload is discarded, the previous picture stays served")
    func ownerSaveFails() async throws {
        try await withHarness { harness async throws in
            try await harness.upload(TestImages.png())
            // An invalid upload id makes the user service refuse the save (400) after the upload.
            let token = await harness.token("alice")
            await #expect(throws: APIError(.badRequest)) {
                try await harness.pictures.store(TestImages.jpeg(), owner: "alice", token: token) { picture, _ in
                    let updated = try await upstream(token: token, logger: harness.logger) {
                        try await harness.users.updateProfile(
                            .with {
                                $0.picture = picture
                                $0.pictureUploadID = "not-an-upload"
                            })
                    }
                    return .init(result: updated, pictureVersion: updated.pictureVersion)
                }
            }
            #expect(try await harness.rows().map(\.0) == ["alice.png"])
            try await harness.relayUntilDrained()
            try await harness.expectConsistent()
        }
    }

    @Test("image service down at commit: the request succeeds (no 500), the relay commits once it is back")
    func downAtCommit() async throws {
        try await withHarness { harness async throws in
            try await harness.upload(TestImages.png())
            harness.faults.failCommits.withLock { $0 = 1_000 }
            let updated = try await harness.upload(TestImages.webp())
            #expect(updated.pictureVersion == 2)
            #expect(try await harness.profileURL().hasSuffix("image=alice.webp"))
            // The old picture is still served; the new one waits, pending, for its commit.
            #expect(try await harness.rows().map { "\($0.0) \($0.1)" } == ["alice.png true", "alice.webp false"])
            harness.faults.failCommits.withLock { $0 = 0 }
            try await harness.relayUntilDrained()
            try await harness.expectConsistent()
            #expect(try await harness.rows().map(\.0) == ["alice.webp"])
        }
    }

    @Test(
        "the save committed but its answer was lost: the upload is discarded, and the relay puts the profile back on the default avatar and deletes the old picture"
    )
    func saveAnswerLost() async throws {
        try await withHarness { harness async throws in
            try await harness.upload(TestImages.png())
            struct LostAnswer: Error {}
            await #expect(throws: LostAnswer.self) {
                try await harness.upload(TestImages.jpeg()) { throw LostAnswer() }
            }
            #expect(try await harness.profileURL().hasSuffix("image=alice.jpeg"))  // saved, not served yet
            try await harness.relayUntilDrained()
            #expect(try await harness.profileURL() == ProfilePicture.defaultAvatar.url)
            try await harness.expectConsistent()
        }
    }

    @Test("reset while the image service is down: the old picture is deleted by the relay once it is back")
    func resetWhileDown() async throws {
        try await withHarness { harness async throws in
            try await harness.upload(TestImages.png())
            harness.faults.down.withLock { $0 = true }
            try await harness.reset()
            #expect(try await harness.profileURL() == ProfilePicture.defaultAvatar.url)
            harness.faults.down.withLock { $0 = false }
            #expect(try await harness.rows().count == 1)
            try await harness.relayUntilDrained()
            try await harness.expectConsistent()
        }
    }

    @Test("two uploads whose commits arrive in the wrong order: the one saved last is served, the other discarded")
    func commitsOutOfOrder() async throws {
        try await withHarness { harness async throws in
            // The JPEG is saved first, but its commit fails now and is left to the relay; the PNG is saved
            // and committed after it. The JPEG's late commit must not replace the PNG.
            harness.faults.failCommits.withLock { $0 = 1 }
            try await harness.upload(TestImages.jpeg())
            try await harness.upload(TestImages.png())
            #expect(try await harness.profileURL().hasSuffix("image=alice.png"))
            try await harness.relayUntilDrained()
            #expect(try await harness.profileURL().hasSuffix("image=alice.png"))
            #expect(try await harness.rows().map(\.0) == ["alice.png"])
            try await harness.expectConsistent()
        }
    }

    @Test("concurrent uploads of different formats by one user: the stored picture matches the profile")
    func concurrentFormats() async throws {
        try await withHarness { harness async throws in
            let formats = [TestImages.jpeg(), TestImages.png(), TestImages.webp(), TestImages.png(width: 32)]
            for round in 0..<3 {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, data) in formats.enumerated() {
                        group.addTask {
                            // Some commits fail and are left to the relay, in whatever order it delivers them.
                            if (index + round) % 2 == 0 { harness.faults.failCommits.withLock { $0 += 1 } }
                            try await harness.upload(data)
                        }
                    }
                    try await group.waitForAll()
                }
                try await harness.relayUntilDrained()
                try await harness.expectConsistent()
            }
        }
    }
}
