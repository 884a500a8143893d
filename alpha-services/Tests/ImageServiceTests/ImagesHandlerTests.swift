import AlphaContracts
import AlphaGRPC
import Foundation
import GRPCCore
import ImageService
import ImageTestSupport
import Testing

/// The image RPCs on real PostgreSQL behind the kit's interceptors (identity included).
@Suite struct ImagesHandlerTests {
    static let postID = "0b6f5c1e-3c1a-4a53-9b1d-2f6a3c8d9e10"

    @Test("an upload is pending (not served) until committed; then served with its type and ETag")
    func uploadCommitServe() async throws {
        try await ImageServiceHarness.run { service in
            let png = TestImages.png(width: 64, height: 48)
            let upload = try await service.upload(png, owner: "alice")
            #expect(upload.name == "alice.png")
            #expect(upload.url == "https://alpha.test/api/images?image=alice.png")
            #expect((upload.width, upload.height) == (64, 48))
            #expect(await Outcome.of { try await service.get("alice.png") } == .catalog("ERR-028"))

            try await service.commit(upload)
            try await service.commit(upload)  // idempotent
            let served = try await service.get("alice.png")
            #expect(served.data == png)
            #expect(served.contentType == "image/png")
            #expect(served.etag.count == 64)
            #expect(!served.notModified)

            let again = try await service.get("alice.png", ifNoneMatch: served.etag)
            #expect(again.notModified)
            #expect(again.data.isEmpty)
            #expect(again.etag == served.etag)
        }
    }

    @Test(
        "every accepted format is stored under <owner>.<ext> with its pixel size",
        arguments: [
            (TestImages.jpeg(width: 30, height: 20), "jpeg"), (TestImages.png(width: 30, height: 20), "png"),
            (TestImages.webp(width: 30, height: 20), "webp"),
            (TestImages.webp(width: 30, height: 20, lossless: true), "webp"),
        ])
    func formats(data: Data, ext: String) async throws {
        try await ImageServiceHarness.run { service in
            let upload = try await service.upload(data, kind: .post, owner: Self.postID, commit: true)
            #expect(upload.name == "\(Self.postID).\(ext)")
            #expect((upload.width, upload.height) == (30, 20))
            #expect(try await service.get(upload.name).contentType == "image/\(ext)")
        }
    }

    @Test(
        "refused kinds answer 400 ERR-001 and store nothing",
        arguments: [
            TestImages.gif, TestImages.svg, TestImages.html, Data(),
            TestImages.truncated(TestImages.jpeg()), TestImages.truncated(TestImages.png()),
            TestImages.truncated(TestImages.webp()),
            TestImages.pngBomb(), TestImages.jpegBomb(), TestImages.webpBomb(), TestImages.animatedWebP(),
        ])
    func refused(data: Data) async throws {
        try await ImageServiceHarness.run { service in
            let outcome = await Outcome.of { try await service.upload(data, owner: "alice", commit: true) }
            #expect(outcome == .catalog("ERR-001"))
            let rows = try await service.rows(owner: "alice")
            #expect(rows.isEmpty)
        }
    }

    @Test("the largest accepted file (7 MiB) is stored and served whole; one byte more is refused")
    func sizeLimit() async throws {
        try await ImageServiceHarness.run { service in
            let big = LargeImages.sevenMiBPNG()
            #expect(big.count <= 7 * 1024 * 1024 && big.count > 6 * 1024 * 1024)
            let upload = try await service.upload(big, owner: "alice", commit: true)
            #expect(try await service.get(upload.name).data == big)

            let tooBig = big + Data(repeating: 0, count: 7 * 1024 * 1024 + 1 - big.count)
            #expect(await Outcome.of { try await service.upload(tooBig, owner: "bob") } == .catalog("ERR-001"))
        }
    }

    @Test("GPS is stripped from the stored copy and its pixels are identical to the upload's")
    func storedCopyStripped() async throws {
        try await ImageServiceHarness.run { service in
            let original = TestImages.jpegWithLocation()
            let upload = try await service.upload(original, owner: "alice", commit: true)
            let stored = try await service.get(upload.name).data
            #expect(!TestImages.contains(stored, TestImages.gpsMarker))
            #expect(!TestImages.contains(stored, TestImages.makerNoteMarker))
            let decoder = ImageDecoder(maxPixels: 1_000_000)
            var before: [UInt8] = []
            var after: [UInt8] = []
            _ = try decoder.decode(original) { before.append(contentsOf: $0) }
            _ = try decoder.decode(stored) { after.append(contentsOf: $0) }
            #expect(!before.isEmpty && before == after)
        }
    }

    @Test("committing a new picture deletes the one it replaces, whatever its extension (D44)")
    func replacement() async throws {
        try await ImageServiceHarness.run { service in
            try await service.commit(try await service.upload(TestImages.png(), owner: "alice"))
            let jpeg = try await service.upload(TestImages.jpeg(), owner: "alice")
            // While the new one is pending, the old one is still what is served.
            #expect(try await service.get("alice.png").contentType == "image/png")
            try await service.commit(jpeg)
            #expect(await Outcome.of { try await service.get("alice.png") } == .catalog("ERR-028"))
            #expect(try await service.get("alice.jpeg").contentType == "image/jpeg")
            #expect(try await service.rows(owner: "alice").map(\.name) == ["alice.jpeg"])

            // Same name: the new bytes replace the old (new ETag), still one row.
            let before = try await service.get("alice.jpeg").etag
            try await service.commit(try await service.upload(TestImages.jpeg(width: 10, height: 10), owner: "alice"))
            #expect(try await service.get("alice.jpeg").etag != before)
            #expect(try await service.rows(owner: "alice").count == 1)
        }
    }

    @Test("a discarded upload is gone and the old picture untouched; discarding twice is fine")
    func discard() async throws {
        try await ImageServiceHarness.run { service in
            try await service.commit(try await service.upload(TestImages.png(), owner: "alice"))
            let pending = try await service.upload(TestImages.png(width: 5, height: 5), owner: "alice")
            _ = try await service.images.discardImage(.with { $0.uploadID = pending.uploadID })
            _ = try await service.images.discardImage(.with { $0.uploadID = pending.uploadID })
            #expect(await Outcome.of { try await service.commit(pending) } == .catalog("ERR-028"))
            #expect(try await service.rows(owner: "alice").map(\.committed) == [true])
            #expect(try await service.get("alice.png").data == TestImages.png())
        }
    }

    @Test("DeleteImages removes the owner's pictures; their names answer ERR-028 (D44)")
    func deleteImages() async throws {
        try await ImageServiceHarness.run { service in
            let post = try await service.upload(TestImages.webp(), kind: .post, owner: Self.postID, commit: true)
            let deleted = try await service.images.deleteImages(
                .with {
                    $0.kind = .post
                    $0.owner = Self.postID
                })
            #expect(deleted.deleted == 1)
            #expect(await Outcome.of { try await service.get(post.name) } == .catalog("ERR-028"))
        }
    }

    @Test("pending uploads older than the TTL are swept by the next upload")
    func sweep() async throws {
        try await ImageServiceHarness.run(configuration: .init(pendingTTL: .seconds(0))) { service in
            _ = try await service.upload(TestImages.png(), owner: "alice")
            try await Task.sleep(for: .milliseconds(20))
            _ = try await service.upload(TestImages.png(), owner: "bob")
            #expect(try await service.rows(owner: "alice").count == 0)
        }
    }

    @Test(
        "unknown, empty and path-like names answer ERR-028",
        arguments: [
            "", "nobody.png", "../../etc/passwd", "alice.png/../x", String(repeating: "a", count: 300),
        ])
    func unknownNames(name: String) async throws {
        try await ImageServiceHarness.run { service in
            try await service.commit(try await service.upload(TestImages.png(), owner: "alice"))
            #expect(await Outcome.of { try await service.get(name) } == .catalog("ERR-028"))
        }
    }

    @Test("owners must be a username or a lowercase v4 post id")
    func badOwners() async throws {
        try await ImageServiceHarness.run { service in
            #expect(
                await Outcome.of { try await service.upload(TestImages.png(), owner: "../x") } == .catalog("ERR-001"))
            #expect(
                await Outcome.of {
                    try await service.upload(TestImages.png(), kind: .post, owner: Self.postID.uppercased())
                } == .catalog("ERR-001"))
        }
    }

    // MARK: - Identity

    @Test("a user may upload, commit and delete only their own profile picture")
    func profileOwnership() async throws {
        try await ImageServiceHarness.run { service in
            let upload = try await service.asUser("alice") {
                try await service.upload(TestImages.png(), owner: "alice")
            }
            let foreign = await Outcome.of {
                try await service.asUser("mallory") { try await service.upload(TestImages.png(), owner: "alice") }
            }
            #expect(foreign == .status(.permissionDenied))
            #expect(
                await Outcome.of { try await service.asUser("mallory") { try await service.commit(upload) } }
                    == .status(.permissionDenied))
            try await service.asUser("alice") { try await service.commit(upload) }
            #expect(
                await Outcome.of {
                    try await service.asUser("mallory") {
                        try await service.images.deleteImages(.with { $0.owner = "alice" })
                    }
                } == .status(.permissionDenied))
            #expect(try await service.get("alice.png").contentType == "image/png")
        }
    }

    @Test("a post id belongs to its first uploader")
    func postOwnership() async throws {
        try await ImageServiceHarness.run { service in
            _ = try await service.asUser("alice") {
                try await service.upload(TestImages.png(), kind: .post, owner: Self.postID, commit: true)
            }
            #expect(
                await Outcome.of {
                    try await service.asUser("mallory") {
                        try await service.upload(TestImages.jpeg(), kind: .post, owner: Self.postID, commit: true)
                    }
                } == .status(.permissionDenied))
            let deleted = try await service.asUser("mallory") {
                try await service.images.deleteImages(
                    .with {
                        $0.kind = .post
                        $0.owner = Self.postID
                    })
            }
            #expect(deleted.deleted == 0)
            #expect(try await service.get("\(Self.postID).png").contentType == "image/png")
        }
    }

    @Test("calls without a user token or the service credential are refused")
    func unauthenticated() async throws {
        try await ImageServiceHarness.run(sendCredential: false) { service in
            #expect(await Outcome.of { try await service.get("alice.png") } == .status(.unauthenticated))
            #expect(
                await Outcome.of { try await service.upload(TestImages.png(), owner: "alice") }
                    == .status(.unauthenticated))
        }
    }

    @Test("versioned commits and deletions take effect in owner-version order, whatever order they arrive in")
    func ownerVersions() async throws {
        try await ImageServiceHarness.run { service in
            func commit(_ upload: Alpha_Image_V1_UploadImageResponse, version: Int64) async throws
                -> Alpha_Image_V1_CommitImageResponse
            {
                try await service.images.commitImage(
                    .with {
                        $0.uploadID = upload.uploadID
                        $0.kind = .profile
                        $0.owner = "alice"
                        $0.ownerVersion = version
                    })
            }
            let jpeg = try await service.upload(TestImages.jpeg(), owner: "alice")
            let png = try await service.upload(TestImages.png(), owner: "alice")
            // Saved as 1 (JPEG) then 2 (PNG); the PNG's commit arrives first.
            #expect(try await commit(png, version: 2).stale == false)
            let late = try await commit(jpeg, version: 1)
            #expect(late.stale && late.name == "alice.jpeg")
            #expect(try await service.rows(owner: "alice").map(\.name) == ["alice.png"])  // the JPEG is discarded
            #expect(try await service.get("alice.png").contentType == "image/png")
            // A repeated commit of the current picture is still a success, not stale.
            #expect(try await commit(png, version: 2).stale == false)

            // A deletion older than the applied version deletes nothing; a newer one deletes.
            let stale = try await service.images.deleteImages(
                .with {
                    $0.owner = "alice"
                    $0.ownerVersion = 2
                })
            #expect(stale.deleted == 0)
            let reset = try await service.images.deleteImages(
                .with {
                    $0.owner = "alice"
                    $0.ownerVersion = 3
                })
            #expect(reset.deleted == 1)

            // A commit naming another owner than the upload's is not found.
            let webp = try await service.upload(TestImages.webp(), owner: "alice")
            let wrongOwner = await Outcome.of {
                try await service.images.commitImage(
                    .with {
                        $0.uploadID = webp.uploadID
                        $0.kind = .profile
                        $0.owner = "bob"
                        $0.ownerVersion = 4
                    })
            }
            #expect(wrongOwner == .catalog("ERR-028"))
        }
    }
}
