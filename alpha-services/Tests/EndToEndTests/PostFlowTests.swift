import AlphaServicesTesting
import AlphaTesting
import Foundation
import NIOHTTP1
import Testing

/// E12 and E16–E24 over the real path: HTTP → gateway → gRPC → post service → PostgreSQL, with authors
/// and follows from the real user service.
@Suite("Posts, feeds, likes and comments over the real executables", .serialized)
struct PostFlowTests {
    func withSystem(_ body: @Sendable (AccountClient, RunningSystem) async throws -> Void) async throws {
        try await withMailingSystem(body)
    }

    func ids(_ reply: Reply) -> [String] {
        ((reply.json["records"] as? [[String: Any]]) ?? []).compactMap { $0["postId"] as? String }
    }

    func records(_ reply: Reply) -> [[String: Any]] {
        (reply.json["records"] as? [[String: Any]]) ?? []
    }

    @Test("create → repost → like → comment → feeds → hashtag search → user feed → delete, with three users")
    func postLifecycle() async throws {
        try await withSystem { client, _ in
            let alice = try await client.activatedUser("alice")
            let bob = try await client.activatedUser("bob")
            let carol = try await client.activatedUser("carol")
            #expect(
                try await client.call(.POST, "/api/subscriptions", #"{"following":"bob"}"#, token: alice).status == 201)

            // E16: normalised content, location as 32-bit floats, zero counters, repost null.
            let created = try await client.call(
                .POST, "/api/posts",
                #"{"content":"  Bob's <b>first</b> #Swift post #swift  ","location":{"latitude":49.48765432,"longitude":8.466,"accuracy":25}}"#,
                token: bob)
            #expect(created.status == 201, "\(created.json)")
            #expect(
                Set(created.json.keys)
                    == [
                        "postId", "author", "creationDate", "content", "location", "likes", "liked", "comments",
                        "repost",
                    ])
            #expect(created.json["content"] as? String == "Bob&#39;s &lt;b&gt;first&lt;/b&gt; #Swift post #swift")
            #expect(created.json["repost"] is NSNull)
            #expect(created.json["likes"] as? Int == 0 && created.json["liked"] as? Bool == false)
            let author = try #require(created.json["author"] as? [String: Any])
            #expect(author["username"] as? String == "bob" && author["picture"] is [String: Any])
            let location = try #require(created.json["location"] as? [String: Any])
            #expect(location["accuracy"] as? Int == 25)
            #expect(String(data: created.raw, encoding: .utf8)?.contains(#""latitude":49.48765"#) == true)
            let bobPost = try #require(created.json["postId"] as? String)

            // Error rows of E16.
            let badBodies = [
                #"{"content":""}"#, #"{}"#, #"{"content":"","picture":""}"#,
                #"{"content":"hi","picture":"iVBORw0KGgo="}"#,
                #"{"content":"hi","repostedPostId":"not-a-uuid"}"#,
                #"{"content":"hi","location":{"latitude":91,"longitude":0}}"#,
                #"{"content":"hi","location":{"latitude":1}}"#, #"{"content":5}"#,
            ]
            for body in badBodies {
                let reply = try await client.call(.POST, "/api/posts", body, token: bob)
                #expect(reply.status == 400 && reply.errorCode == "ERR-001", "\(body)")
            }
            let unknownOriginal = try await client.call(
                .POST, "/api/posts", #"{"repostedPostId":"\#(UUID().uuidString.lowercased())"}"#, token: bob)
            #expect(unknownOriginal.status == 404 && unknownOriginal.errorCode == "ERR-020")
            #expect(try await client.call(.POST, "/api/posts", #"{"content":"x"}"#).status == 401)

            // A repost carries the original (with its location); a pure repost needs no content (D25).
            let repost = try await client.call(.POST, "/api/posts", #"{"repostedPostId":"\#(bobPost)"}"#, token: alice)
            #expect(repost.status == 201, "\(repost.json)")
            let repostObject = try #require(repost.json["repost"] as? [String: Any])
            #expect(Set(repostObject.keys) == ["author", "creationDate", "content", "location"])
            #expect((repostObject["author"] as? [String: Any])?["username"] as? String == "bob")
            let alicePost = try #require(repost.json["postId"] as? String)

            // Carol's posts reach alice's personal feed only through bob's like and comment.
            let carolLiked = try #require(
                try await client.call(.POST, "/api/posts", #"{"content":"carol liked #swift"}"#, token: carol)
                    .json["postId"] as? String)
            let carolCommented = try #require(
                try await client.call(.POST, "/api/posts", #"{"content":"carol commented"}"#, token: carol)
                    .json["postId"] as? String)
            let carolAlone = try #require(
                try await client.call(.POST, "/api/posts", #"{"content":"carol alone"}"#, token: carol)
                    .json["postId"] as? String)

            // E21/E22.
            #expect(try await client.call(.POST, "/api/posts/\(carolLiked)/likes", token: bob).status == 204)
            let twice = try await client.call(.POST, "/api/posts/\(carolLiked)/likes", token: bob)
            #expect(twice.status == 409 && twice.errorCode == "ERR-021")
            #expect(try await client.call(.POST, "/api/posts/\(carolAlone)/likes", token: alice).status == 204)
            #expect(try await client.call(.DELETE, "/api/posts/\(carolAlone)/likes", token: alice).status == 204)
            let notLiked = try await client.call(.DELETE, "/api/posts/\(carolAlone)/likes", token: alice)
            #expect(notLiked.status == 409 && notLiked.errorCode == "ERR-022")
            let malformedLike = try await client.call(.POST, "/api/posts/nope/likes", token: alice)
            #expect(malformedLike.status == 404 && malformedLike.errorCode == "ERR-020")

            // E23/E24.
            let comment = try await client.call(
                .POST, "/api/posts/\(carolCommented)/comments", #"{"content":"Bob's comment"}"#, token: bob)
            #expect(comment.status == 201, "\(comment.json)")
            #expect(Set(comment.json.keys) == ["commentId", "content", "author", "creationDate"])
            #expect(comment.json["content"] as? String == "Bob&#39;s comment")
            #expect(
                try await client.call(
                    .POST, "/api/posts/\(carolCommented)/comments", #"{"content":"second"}"#, token: carol
                ).status == 201)
            let comments = try await client.call(.GET, "/api/posts/\(carolCommented)/comments", token: alice)
            #expect(comments.status == 200)
            #expect(records(comments).compactMap { $0["content"] as? String } == ["second", "Bob&#39;s comment"])
            #expect((comments.json["pagination"] as? [String: Any])?["records"] as? Int == 2)
            let tooLong = try await client.call(
                .POST, "/api/posts/nope/comments", #"{"content":"\#(String(repeating: "a", count: 129))"}"#, token: bob)
            #expect(tooLong.status == 400 && tooLong.errorCode == "ERR-001")

            // E18 personal: authored (bob), liked and commented by bob; newest first; each once.
            let personal = try await client.call(.GET, "/api/feed", token: alice)
            #expect(personal.status == 200)
            #expect(ids(personal) == [carolCommented, carolLiked, bobPost])
            let pagination = try #require(personal.json["pagination"] as? [String: Any])
            #expect(pagination["records"] as? Int == 3 && pagination["lastPostId"] as? String == bobPost)
            #expect(pagination["limit"] as? Int == 10)
            let secondPage = try await client.call(.GET, "/api/feed?postId=\(carolLiked)&limit=5", token: alice)
            #expect(ids(secondPage) == [bobPost])

            // E18 global: anonymous (liked false) and authenticated.
            let anonymous = try await client.call(.GET, "/api/feed")
            #expect(ids(anonymous) == [carolAlone, carolCommented, carolLiked, alicePost, bobPost])
            #expect(records(anonymous).allSatisfy { $0["liked"] as? Bool == false })
            let global = try await client.call(.GET, "/api/feed?feedType=global", token: bob)
            let likedByBob = records(global).filter { $0["liked"] as? Bool == true }.compactMap {
                $0["postId"] as? String
            }
            #expect(likedByBob == [carolLiked])
            let repostInList = try #require(records(global).first { $0["postId"] as? String == alicePost })
            #expect((repostInList["repost"] as? [String: Any])?["location"] is [String: Any])  // D07 fix
            let badToken = try await client.call(.GET, "/api/feed", token: "not.a.token")
            #expect(badToken.status == 401 && badToken.errorCode == "ERR-014")
            let malformedCursor = try await client.call(.GET, "/api/feed?postId=zzz&limit=-4")
            #expect(malformedCursor.status == 200 && ids(malformedCursor).isEmpty)
            #expect((malformedCursor.json["pagination"] as? [String: Any])?["lastPostId"] as? String == "0")

            // E19: the query is lower-cased and gets its # (D26).
            for query in ["%23swift", "Swift", "SWIFT"] {
                let search = try await client.call(.GET, "/api/posts?q=\(query)", token: alice)
                #expect(ids(search) == [carolLiked, bobPost], "\(query)")
            }
            #expect(try await client.call(.GET, "/api/posts?q=swift").status == 401)

            // E20 and E12.
            let userFeed = try await client.call(.GET, "/api/users/carol/feed?offset=1&limit=1", token: alice)
            #expect(ids(userFeed) == [carolCommented])
            let userPagination = try #require(userFeed.json["pagination"] as? [String: Any])
            #expect(userPagination["offset"] as? Int == 2 && userPagination["records"] as? Int == 3)  // D17
            let ghostFeed = try await client.call(.GET, "/api/users/ghost/feed", token: alice)
            #expect(ghostFeed.status == 404 && ghostFeed.errorCode == "ERR-004")
            let profile = try await client.call(.GET, "/api/users/carol", token: alice)
            #expect(profile.json["posts"] as? Int == 3)

            // E17: author only; the repost stays with repost null; the post's comments are gone.
            let forbidden = try await client.call(.DELETE, "/api/posts/\(bobPost)", token: alice)
            #expect(forbidden.status == 403 && forbidden.errorCode == "ERR-019")
            #expect(try await client.call(.DELETE, "/api/posts/\(bobPost)", token: bob).status == 204)
            let gone = try await client.call(.DELETE, "/api/posts/\(bobPost)", token: bob)
            #expect(gone.status == 404 && gone.errorCode == "ERR-020")
            let malformedDelete = try await client.call(.DELETE, "/api/posts/12345", token: bob)
            #expect(malformedDelete.status == 404 && malformedDelete.errorCode == "ERR-020")
            let aliceFeed = try await client.call(.GET, "/api/users/alice/feed", token: bob)
            let orphan = try #require(records(aliceFeed).first)
            #expect(orphan["postId"] as? String == alicePost && orphan["repost"] is NSNull)
            let afterDelete = try await client.call(.GET, "/api/posts?q=swift", token: alice)
            #expect(ids(afterDelete) == [carolLiked])
            #expect(try await client.call(.GET, "/api/users/bob", token: alice).json["posts"] as? Int == 0)
        }
    }

    @Test("gRPC calls per feed request stay constant as the page grows (from the servers' RED metrics)")
    func constantCallsPerRequest() async throws {
        try await withSystem { client, system in
            let alice = try await client.activatedUser("alice")
            let bob = try await client.activatedUser("bob")
            #expect(
                try await client.call(.POST, "/api/subscriptions", #"{"following":"bob"}"#, token: alice).status == 201)
            for index in 0..<30 {
                let post = try await client.call(
                    .POST, "/api/posts", #"{"content":"post \#(index) #many"}"#, token: bob)
                let id = try #require(post.json["postId"] as? String)
                if index.isMultiple(of: 3) {
                    _ = try await client.call(.POST, "/api/posts", #"{"repostedPostId":"\#(id)"}"#, token: alice)
                }
            }
            // The follow reaches the post service's copy of the follow graph through the user service's
            // outbox; alice's first personal feed copies her followees once. Then every page asks the user
            // service only for its authors.
            try await eventually("the post service applied alice's follow") {
                Counts.parse(try await system.metrics(of: "post-service"))
                    .contains { $0.key.hasSuffix("ApplyFollowChange") && $0.value >= 1 }
            }
            #expect(try await client.call(.GET, "/api/feed?limit=1", token: alice).status == 200)
            var perRequest: [String: [Int: [String: Int]]] = [:]
            for (name, path) in [
                ("personal", "/api/feed?limit=%d"), ("global", "/api/feed?feedType=global&limit=%d"),
                ("hashtag", "/api/posts?q=many&limit=%d"), ("user", "/api/users/bob/feed?limit=%d"),
            ] {
                for limit in [2, 30] {
                    let before = try await rpcCounts(system)
                    let reply = try await client.call(.GET, String(format: path, limit), token: alice)
                    #expect(reply.status == 200 && ids(reply).count == limit, "\(name) \(limit)")
                    let after = try await rpcCounts(system)
                    perRequest[name, default: [:]][limit] = after.merging(before) { $0 - $1 }
                }
            }
            for (name, byLimit) in perRequest {
                #expect(byLimit[2] == byLimit[30], "\(name): \(byLimit)")
                #expect(byLimit[30]?["post-service"] == 1, "\(name): \(byLimit)")
            }
            #expect(perRequest["personal"]?[30]?["user-service"] == 1)  // authors (followees: the post service's copy)
            #expect(perRequest["global"]?[30]?["user-service"] == 1)  // authors
            #expect(perRequest["hashtag"]?[30]?["user-service"] == 1)
            #expect(perRequest["user"]?[30]?["user-service"] == 1)
            print("gRPC calls per REST request (limit 2 / 30): \(perRequest)")
        }
    }

    /// Total gRPC requests each service has served so far (`grpc_server_requests_total`, all series).
    func rpcCounts(_ system: RunningSystem) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for name in ["user-service", "post-service"] {
            counts[name] = try await system.metrics(of: name).split(separator: "\n")
                .filter { $0.hasPrefix("grpc_server_requests_total{") }
                .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
                .reduce(0) { $0 + Int($1) }
        }
        return counts
    }
}
