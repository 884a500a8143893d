import AlphaContracts
import AlphaDomain
import Foundation
import NotificationOutbox
import Testing

@Suite("CreatePost and DeletePost (E16, E17) on real PostgreSQL")
struct PostCreationTests {
    @Test("a post answers its id, author, time, content and zero counters; hashtags are stored once")
    func createShape() async throws {
        try await PostServiceHarness.run { harness in
            try await harness.addUsers("alice")
            let post = try await harness.post("alice", "Sunny #Mannheim #mannheim &#39;#39")
            #expect(ValidationRules.isValidUUID4(post.postID))
            #expect(post.author.username == "alice" && post.author.nickname == "Alice")
            #expect(post.author.picture.url == "https://example.org/avatar.png")
            #expect(post.createdAt == Timestamp.string(from: harness.clock.now()))
            #expect(post.content == "Sunny #Mannheim #mannheim &#39;#39")
            #expect(post.likes == 0 && post.comments == 0 && !post.liked)
            #expect(!post.hasRepost && !post.hasPicture && !post.hasLocation)
            #expect(try await harness.rows(in: "post_hashtags", postID: post.postID) == 2)  // #mannheim, #39
        }
    }

    @Test("a repost carries the original's author, content and location; reposting a repost is allowed")
    func repost() async throws {
        try await PostServiceHarness.run { harness in
            try await harness.addUsers("alice", "bob")
            let location = Alpha_Post_V1_Location.with {
                $0.latitude = 49.48765
                $0.longitude = 8.466
                $0.accuracy = 25
            }
            let original = try await harness.post("bob", "Original", location: location)
            harness.clock.advance(by: 60)
            let repost = try await harness.post("alice", "", repostOf: original.postID)
            #expect(repost.author.username == "alice" && repost.content == "")
            #expect(repost.repost.author.username == "bob" && repost.repost.content == "Original")
            #expect(repost.repost.createdAt == original.createdAt)
            #expect(repost.repost.location == location)
            let again = try await harness.post("bob", "again", repostOf: repost.postID)
            #expect(again.repost.author.username == "alice")
        }
    }

    @Test("unknown original ERR-020; malformed id, empty post, bad location or any picture ERR-001")
    func createErrors() async throws {
        try await PostServiceHarness.run { harness in
            try await harness.addUsers("alice")
            let unknown = UUID().uuidString.lowercased()
            #expect(await outcome { try await harness.post("alice", "hi", repostOf: unknown) } == "ERR-020")
            #expect(await outcome { try await harness.post("alice", "hi", repostOf: "not-a-uuid") } == "ERR-001")
            #expect(await outcome { try await harness.post("alice", "") } == "ERR-001")
            #expect(await outcome { try await harness.post("alice", String(repeating: "a", count: 257)) } == "ERR-001")
            let badLocation = Alpha_Post_V1_Location.with { $0.latitude = 91 }
            #expect(await outcome { try await harness.post("alice", "hi", location: badLocation) } == "ERR-001")
            let withPicture = await outcome {
                try await harness.asUser("alice") {
                    try await harness.posts.createPost(.with { $0.picture = "iVBORw0KGgo=" })
                }
            }
            #expect(withPicture == "ERR-001")
            #expect(
                await outcome { try await harness.posts.createPost(.with { $0.content = "no user" }) }
                    == "unauthenticated")
            let stored = try await harness.feed("alice")
            #expect(stored.total == 0)
        }
    }

    @Test("only the author deletes; likes, comments and tag links go with the post, reposts show repost null")
    func delete() async throws {
        try await PostServiceHarness.run { harness in
            try await harness.addUsers("alice", "bob")
            let post = try await harness.post("alice", "bye #gone")
            let repost = try await harness.post("bob", "look", repostOf: post.postID)
            try await harness.asUser("bob") {
                _ = try await harness.interactions.likePost(.with { $0.postID = post.postID })
                _ = try await harness.interactions.createComment(
                    .with {
                        $0.postID = post.postID
                        $0.content = "nice"
                    })
            }
            let delete = { (user: String, id: String) in
                await outcome {
                    try await harness.asUser(user) { try await harness.posts.deletePost(.with { $0.postID = id }) }
                }
            }
            #expect(await delete("bob", post.postID) == "ERR-019")
            #expect(await delete("alice", UUID().uuidString) == "ERR-020")
            #expect(await delete("alice", "malformed") == "ERR-020")
            #expect(await delete("alice", post.postID.uppercased()) == "ok")
            for table in ["posts", "likes", "comments", "post_hashtags"] {
                #expect(try await harness.rows(in: table, postID: post.postID) == 0, "\(table)")
            }
            let feed = try await harness.feed("bob")
            #expect(feed.posts.map(\.postID) == [repost.postID])
            #expect(!feed.posts[0].hasRepost)
            #expect(try await harness.feed("bob", hashtag: "gone").total == 0)
        }
    }

    @Test("CountPosts counts a user's posts and reposts, for users and services")
    func count() async throws {
        try await PostServiceHarness.run { harness in
            try await harness.addUsers("alice", "bob")
            let first = try await harness.post("alice", "one")
            try await harness.post("alice", "", repostOf: first.postID)
            try await harness.post("bob", "other")
            let asUser = try await harness.asUser("bob") {
                try await harness.posts.countPosts(.with { $0.username = "alice" })
            }
            let asService = try await harness.posts.countPosts(.with { $0.username = "alice" })
            #expect(asUser.count == 2 && asService.count == 2)
        }
    }

    @Test("a repost writes the original author's repost notification into the outbox; a self-repost writes none")
    func repostNotificationInOutbox() async throws {
        try await PostServiceHarness.run { harness in
            try await harness.addUsers("alice", "bob")
            let original = try await harness.post("bob", "Original")
            try await harness.post("bob", "mine", repostOf: original.postID)
            let repost = try await harness.post("alice", "", repostOf: original.postID)
            let rows = try await harness.postDatabase.query(
                "SELECT topic, payload FROM outbox_messages", logger: harness.logger)
            var notices: [(String, Data)] = []
            for try await row in rows.decode((String, Data).self) { notices.append(row) }
            #expect(notices.count == 1)
            let notice = try #require(notices.first)
            #expect(notice.0 == NotificationNotice.topic)
            let request = try Alpha_Notification_V1_CreateNotificationRequest(serializedBytes: notice.1)
            #expect(request.type == .repost)
            #expect(request.recipient == "bob")
            #expect(request.actor.username == "alice")
            #expect(request.occurredAt == repost.createdAt)
        }
    }
}
