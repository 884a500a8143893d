import AlphaPostgres
import AlphaServicesTesting
import AlphaTesting
import AsyncHTTPClient
import Foundation
import ImageService
import ImageTestSupport
import NIOCore
import NIOHTTP1
import PostgresNIO
import Testing

/// Pictures over the five real processes (E02, E10, E25, D44): HTTP → gateway → gRPC → image service and
/// user service → PostgreSQL.
@Suite("Pictures over the real executables", .serialized)
struct ImageFlowTests {
    struct Fetched {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
        var errorCode: String? {
            ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]).flatMap {
                ($0["error"] as? [String: Any])?["code"] as? String
            }
        }
    }

    /// A running system whose picture URLs point at its gateway, with its database at hand.
    struct Context {
        var client: AccountClient
        var system: RunningSystem
        var database: TestDatabase

        /// `GET` of a picture URL (or any gateway path), with headers.
        func fetch(_ url: String, ifNoneMatch: String? = nil) async throws -> Fetched {
            var request = HTTPClientRequest(url: url.hasPrefix("http") ? url : system.gatewayURL + url)
            if let ifNoneMatch { request.headers.add(name: "If-None-Match", value: ifNoneMatch) }
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
            let body = try await response.body.collect(upTo: 16 << 20)
            return Fetched(status: Int(response.status.code), headers: response.headers, body: Data(buffer: body))
        }

        /// `PUT /api/users` with a picture, waiting longer than the upload deadline (15 s) for the answer.
        func putPicture(_ base64: String, token: String) async throws -> Int {
            var request = HTTPClientRequest(url: system.gatewayURL + "/api/users")
            request.method = .PUT
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.body = .bytes(ByteBuffer(string: #"{"picture":"\#(base64)"}"#))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(40))
            _ = try await response.body.collect(upTo: 1 << 20)
            return Int(response.status.code)
        }

        /// The image service's rows for `owner` (committed and pending).
        func imageRows(owner: String) async throws -> [(String, Bool)] {
            let settings = database.settings(schema: "image_service", poolSize: 1)
            return try await withPostgresClient(settings.clientConfiguration, logger: .init(label: "e2e")) { client in
                let rows = try await client.query(
                    "SELECT name, committed FROM images WHERE owner_id = \(owner)", logger: .init(label: "e2e"))
                var result: [(String, Bool)] = []
                for try await row in rows.decode((String, Bool).self) { result.append(row) }
                return result
            }
        }

        func profilePicture(_ username: String, token: String) async throws -> [String: Any] {
            let profile = try await client.call(.GET, "/api/users/\(username)", token: token)
            #expect(profile.status == 200)
            return try #require(profile.json["picture"] as? [String: Any])
        }
    }

    func withSystem(_ body: @Sendable (Context) async throws -> Void) async throws {
        try await withFakeMailgun(domain: "mail.test.example") { mailgun in
            // Picture commits and deletions wait in the user and post services' outboxes while the image
            // service is down: retry them soon after it is back.
            let environment = { (system: RunningSystem) in
                [
                    "image-service": ["PUBLIC_BASE_URL": system.gatewayURL + "/api"],
                    "user-service": ["OUTBOX_BACKOFF_MAX_SECONDS": "1"],
                    "post-service": ["OUTBOX_BACKOFF_MAX_SECONDS": "1"],
                ]
            }
            try await withRunningSystem(mailingThrough: mailgun, environment: environment) { client, system, database in
                try await body(Context(client: client, system: system, database: database))
            }
        }
    }

    static func base64(_ data: Data) -> String { data.base64EncodedString() }

    static func pixels(_ data: Data) throws -> [UInt8] {
        var all: [UInt8] = []
        _ = try ImageDecoder(maxPixels: 40_000_000).decode(data) { all.append(contentsOf: $0) }
        return all
    }

    @Test("upload at registration, serve with ETag, replace (old URL 404), reset (URL 404): D44")
    func profilePictureLifecycle() async throws {
        try await withSystem { context in
            let client = context.client
            let png = TestImages.png(width: 64, height: 48)
            let registered = try await client.call(
                .POST, "/api/users",
                #"{"username":"bob","password":"Passw0rd!","email":"bob@example.org","profilePicture":"data:image/gif;base64,\#(Self.base64(png))"}"#
            )
            #expect(registered.status == 201, "\(registered.json)")
            let picture = try #require(registered.json["picture"] as? [String: Any])
            #expect(picture["url"] as? String == context.system.gatewayURL + "/api/images?image=bob.png")
            #expect(picture["width"] as? Int == 64 && picture["height"] as? Int == 48)

            let served = try await context.fetch(try #require(picture["url"] as? String))
            #expect(served.status == 200)
            #expect(served.body == png)
            #expect(served.headers.first(name: "Content-Type") == "image/png")
            #expect(served.headers.first(name: "Cache-Control") == "public, no-cache")
            let etag = try #require(served.headers.first(name: "ETag"))
            let revalidated = try await context.fetch("/api/images?image=bob.png", ifNoneMatch: etag)
            #expect(revalidated.status == 304 && revalidated.body.isEmpty)

            // Replace with a JPEG carrying GPS: stored without it, same pixels; the PNG is deleted.
            let code = try await client.code(mailedTo: "bob@example.org")
            let activated = try await client.call(.POST, "/api/users/bob/activate", #"{"token":"\#(code)"}"#)
            let token = try #require(activated.json["token"] as? String)
            let located = TestImages.jpegWithLocation()
            let updated = try await client.call(
                .PUT, "/api/users", #"{"nickname":"Bob","picture":"\#(Self.base64(located))"}"#, token: token)
            #expect(updated.status == 200, "\(updated.json)")
            #expect(Set(updated.json.keys) == ["nickname", "status"])
            let replaced = try await context.profilePicture("bob", token: token)
            #expect(replaced["url"] as? String == context.system.gatewayURL + "/api/images?image=bob.jpeg")
            #expect(replaced["width"] as? Int == 64 && replaced["height"] as? Int == 48)
            let old = try await context.fetch("/api/images?image=bob.png")
            #expect(old.status == 404 && old.errorCode == "ERR-028")
            let stored = try await context.fetch("/api/images?image=bob.jpeg")
            #expect(stored.headers.first(name: "Content-Type") == "image/jpeg")
            #expect(stored.body.range(of: Data(TestImages.gpsMarker.utf8)) == nil)
            #expect(located.range(of: Data(TestImages.gpsMarker.utf8)) != nil)
            #expect(try Self.pixels(stored.body) == Self.pixels(located))

            // Same name again: new bytes, new ETag, so caches revalidating with the old one get 200.
            let staleTag = try #require(stored.headers.first(name: "ETag"))
            let again = TestImages.jpeg(width: 20, height: 10)
            let reupload = try await client.call(
                .PUT, "/api/users", #"{"picture":"\#(Self.base64(again))"}"#, token: token)
            #expect(reupload.status == 200)
            let fresh = try await context.fetch("/api/images?image=bob.jpeg", ifNoneMatch: staleTag)
            #expect(fresh.status == 200 && fresh.body == again)

            // Reset: default avatar, and the picture is gone.
            let reset = try await client.call(.PUT, "/api/users", #"{"picture":""}"#, token: token)
            #expect(reset.status == 200)
            let avatar = try await context.profilePicture("bob", token: token)
            #expect(avatar["url"] as? String == "https://getdrawings.com/free-icon/default-avatar-icon-62.png")
            #expect((try await context.fetch("/api/images?image=bob.jpeg")).status == 404)
            #expect(try await context.imageRows(owner: "bob").count == 0)
        }
    }

    @Test("refused pictures answer 400 ERR-001 on E02 and E10 and change nothing; E25 answers 404 ERR-028")
    func refusedPictures() async throws {
        try await withSystem { context in
            let client = context.client
            let token = try await client.activatedUser("carol")
            let good = TestImages.png(width: 8, height: 8)
            #expect(
                (try await client.call(.PUT, "/api/users", #"{"picture":"\#(Self.base64(good))"}"#, token: token))
                    .status == 200)
            let refused: [String] = [
                Self.base64(TestImages.gif), Self.base64(TestImages.svg), Self.base64(TestImages.html),
                Self.base64(TestImages.png(width: 8, height: 8).prefix(40)), Self.base64(TestImages.pngBomb()),
                " ", "not base64!", String(Self.base64(good).dropLast()), "-" + Self.base64(good).dropFirst(),
            ]
            for (index, picture) in refused.enumerated() {
                let update = try await client.call(.PUT, "/api/users", #"{"picture":"\#(picture)"}"#, token: token)
                #expect(update.status == 400 && update.errorCode == "ERR-001", "E10 #\(index): \(update.json)")
                // §1.3: E02's profilePicture is trimmed like every field (" " = none); E10's picture is not.
                if picture == " " { continue }
                let register = try await client.call(
                    .POST, "/api/users",
                    #"{"username":"dave\#(index)","password":"Passw0rd!","email":"dave\#(index)@example.org","profilePicture":"\#(picture)"}"#
                )
                #expect(register.status == 400 && register.errorCode == "ERR-001", "E02 #\(index): \(register.json)")
            }
            // Nothing changed: carol's picture is still the PNG; none of the daves exists.
            #expect(try await context.fetch("/api/images?image=carol.png").body == good)
            #expect(try await context.imageRows(owner: "carol").count == 1)
            let nobody = try await client.call(.GET, "/api/users/dave0", token: token)
            #expect(nobody.status == 404)

            for path in [
                "/api/images", "/api/images?image=", "/api/images?image=nobody.png",
                "/api/images?image=../../../etc/passwd", "/api/images?image=carol.jpeg",
            ] {
                let missing = try await context.fetch(path)
                #expect(missing.status == 404 && missing.errorCode == "ERR-028", "\(path)")
            }
        }
    }

    @Test("the largest accepted picture (≈7 MiB) crosses gateway and gRPC both ways intact")
    func largestPicture() async throws {
        try await withSystem { context in
            let token = try await context.client.activatedUser("erin")
            let big = LargeImages.sevenMiBPNG()
            #expect(big.count > 6 * 1024 * 1024 && big.count <= 7 * 1024 * 1024)
            let updated = try await context.client.call(
                .PUT, "/api/users", #"{"picture":"\#(Self.base64(big))"}"#, token: token)
            #expect(updated.status == 200, "\(updated.json)")
            let served = try await context.fetch("/api/images?image=erin.png")
            #expect(served.status == 200 && served.body == big)

            let tooBig = big + Data(count: 7 * 1024 * 1024 + 1 - big.count)
            let refused = try await context.client.call(
                .PUT, "/api/users", #"{"picture":"\#(Self.base64(tooBig))"}"#, token: token)
            #expect(refused.status == 400 && refused.errorCode == "ERR-001")
        }
    }

    @Test("a failure at each step leaves no orphan and no dangling URL")
    func failedSteps() async throws {
        try await withSystem { context in
            let client = context.client
            let token = try await client.activatedUser("frank")
            let first = TestImages.png(width: 8, height: 8)
            #expect(
                (try await client.call(.PUT, "/api/users", #"{"picture":"\#(Self.base64(first))"}"#, token: token))
                    .status == 200)
            let jpeg = Self.base64(TestImages.jpeg(width: 16, height: 16))

            // The owner fails to save (username taken at registration): the upload is discarded.
            let taken = try await client.call(
                .POST, "/api/users",
                #"{"username":"frank","password":"Passw0rd!","email":"other@example.org","profilePicture":"\#(jpeg)"}"#)
            #expect(taken.status == 409 && taken.errorCode == "ERR-002")
            #expect(try await context.imageRows(owner: "frank").map(\.0) == ["frank.png"])

            // The image service is down: nothing is saved, the profile keeps its picture.
            await context.system.stop("image-service")
            let noImages = try await context.putPicture(jpeg, token: token)
            #expect(noImages >= 500)
            #expect(
                try await context.profilePicture("frank", token: token)["url"] as? String
                    == context.system.gatewayURL + "/api/images?image=frank.png")
            try await context.system.restart("image-service")

            // The user service is down after the upload: the upload is discarded, the old picture served.
            await context.system.stop("user-service")
            let noUsers = try await context.putPicture(jpeg, token: token)
            #expect(noUsers >= 500)
            #expect(try await context.imageRows(owner: "frank").map(\.0) == ["frank.png"])
            #expect(try await context.fetch("/api/images?image=frank.png").body == first)
            #expect(try await context.fetch("/api/images?image=frank.jpeg").status == 404)
        }
    }

    @Test(
        "image service down at E10 reset and E17: both succeed; the outbox relays delete both pictures once it is back")
    func deletionsWhileImageServiceDown() async throws {
        try await withSystem { context in
            let client = context.client
            let token = try await client.activatedUser("hank")
            let png = Self.base64(TestImages.png(width: 8, height: 8))
            #expect((try await client.call(.PUT, "/api/users", #"{"picture":"\#(png)"}"#, token: token)).status == 200)
            let webp = Self.base64(TestImages.webp(width: 8, height: 8))
            let created = try await client.call(
                .POST, "/api/posts", #"{"content":"soon gone","picture":"\#(webp)"}"#, token: token)
            #expect(created.status == 201)
            let postID = try #require(created.json["postId"] as? String)
            #expect(try await context.fetch("/api/images?image=\(postID).webp").status == 200)

            await context.system.stop("image-service")
            #expect((try await client.call(.PUT, "/api/users", #"{"picture":""}"#, token: token)).status == 200)
            #expect((try await client.call(.DELETE, "/api/posts/\(postID)", token: token)).status == 204)
            #expect(
                try await context.profilePicture("hank", token: token)["url"] as? String
                    == "https://getdrawings.com/free-icon/default-avatar-icon-62.png")
            #expect(try await context.imageRows(owner: "hank").count == 1)  // not deleted yet
            try await context.system.restart("image-service")

            // No orphan: the relays of the user and post services delete both once the image service is back.
            try await eventually("both pictures are deleted", timeout: .seconds(60)) {
                let profileRows = try await context.imageRows(owner: "hank")
                let postRows = try await context.imageRows(owner: postID)
                return profileRows.isEmpty && postRows.isEmpty
            }
            #expect(try await context.fetch("/api/images?image=hank.png").status == 404)
            #expect(try await context.fetch("/api/images?image=\(postID).webp").status == 404)
        }
    }

    @Test("a post's picture is stored as <postId>.<ext>, served, refused when invalid, and deleted with the post (D44)")
    func postPicture() async throws {
        try await withSystem { context in
            let client = context.client
            let token = try await client.activatedUser("gina")
            let webp = TestImages.webp(width: 30, height: 20)
            let created = try await client.call(
                .POST, "/api/posts", #"{"content":"sunny","picture":"\#(Self.base64(webp))"}"#, token: token)
            #expect(created.status == 201, "\(created.json)")
            let postID = try #require(created.json["postId"] as? String)
            let picture = try #require(created.json["picture"] as? [String: Any])
            #expect(picture["url"] as? String == context.system.gatewayURL + "/api/images?image=\(postID).webp")
            #expect(picture["width"] as? Int == 30 && picture["height"] as? Int == 20)
            let served = try await context.fetch("/api/images?image=\(postID).webp")
            #expect(served.status == 200 && served.body == webp)
            #expect(served.headers.first(name: "Content-Type") == "image/webp")

            for refused in [Self.base64(TestImages.gif), " ", Self.base64(TestImages.truncated(webp))] {
                let post = try await client.call(
                    .POST, "/api/posts", #"{"content":"x","picture":"\#(refused)"}"#, token: token)
                #expect(post.status == 400 && post.errorCode == "ERR-001", "\(post.json)")
            }

            let deleted = try await client.call(.DELETE, "/api/posts/\(postID)", token: token)
            #expect(deleted.status == 204)
            let gone = try await context.fetch("/api/images?image=\(postID).webp")
            #expect(gone.status == 404 && gone.errorCode == "ERR-028")
            #expect(try await context.imageRows(owner: postID).isEmpty)
        }
    }
}
