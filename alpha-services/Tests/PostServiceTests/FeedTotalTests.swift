import AlphaContracts
import Foundation
import GRPCCore
import PostgresNIO
import Testing

/// The personal feed's total (posts authored, liked or commented by a followee, each once) is not counted
/// on every page: the followees' own posts come from `author_post_counts`, the rest from `feed_totals`,
/// counted again when its signature changed (Migrations/0003_feed_totals.sql). These tests hold it against
/// a full count after every kind of write that can change it, and under concurrent writes.
@Suite("The personal feed's total stays exact (feed_totals)")
struct FeedTotalTests {
    @Test("after posts, likes, unlikes, comments, deletions, follows and unfollows the total is the full count")
    func everyWrite() async throws {
        try await PostServiceHarness.run { harness in
            try await harness.addUsers("alice", "bob", "carol", "dave", "eve")
            let toBob = try await harness.follow("alice", "bob")
            try await harness.follow("alice", "carol")
            func check(_ step: String) async throws {
                let expected = try await fullCount(of: "alice", harness)
                // Twice: the first read may count and store, the second reads the stored part.
                for _ in 0..<2 {
                    #expect(try await harness.feed("alice", kind: .personal).total == expected, "\(step)")
                }
            }
            try await check("nothing yet")
            let byBob = try await harness.post("bob", "bob writes")
            try await check("a followee's post")
            let byDave = try await harness.post("dave", "dave writes")
            let byEve = try await harness.post("eve", "eve writes")
            try await check("posts of others")
            try await like(byDave, as: "carol", harness)
            try await check("a followee likes another's post")
            try await like(byBob, as: "carol", harness)
            try await check("a followee likes a followee's post")
            try await comment(byEve, as: "carol", harness)
            try await comment(byEve, as: "carol", harness)
            try await check("a followee comments twice")
            try await like(byEve, as: "carol", harness)
            try await check("liked and commented")
            _ = try await harness.asUser("carol") {
                try await harness.interactions.unlikePost(.with { $0.postID = byDave.postID })
            }
            try await check("an unlike")
            _ = try await harness.asUser("eve") {
                try await harness.posts.deletePost(.with { $0.postID = byEve.postID })
            }
            try await check("a post a followee commented and liked is deleted")
            try await like(byDave, as: "bob", harness)
            try await harness.follow("alice", "dave")
            try await check("a follow")
            try await harness.unfollow("alice", "bob", subscriptionID: toBob)
            try await check("an unfollow")
            _ = try await harness.asUser("bob") {
                try await harness.posts.deletePost(.with { $0.postID = byBob.postID })
            }
            try await check("a deletion by a former followee")
        }
    }

    @Test("concurrent posts, likes, unlikes and deletions while the feed is read: the next read is exact")
    func concurrentWrites() async throws {
        try await PostServiceHarness.run { harness in
            let users = ["alice", "bob", "carol", "dave", "eve"]
            for user in users { try await harness.addUsers(user) }
            for followee in ["bob", "carol", "dave"] { try await harness.follow("alice", followee) }
            var written: [String: [Alpha_Post_V1_Post]] = [:]
            for user in users {
                for index in 0..<4 {
                    written[user, default: []].append(try await harness.post(user, "\(user) \(index)"))
                }
            }
            let posts = written
            let all = posts.values.flatMap { $0 }
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Every user likes every post of the others, then takes back half of them.
                for user in users {
                    group.addTask {
                        for post in all where post.author.username != user {
                            try await like(post, as: user, harness)
                        }
                        for post in all.filter({ $0.author.username != user }).prefix(6) {
                            // Its deletion may have taken the like already (ERR-022).
                            try await ignoringGone {
                                _ = try await harness.asUser(user) {
                                    try await harness.interactions.unlikePost(.with { $0.postID = post.postID })
                                }
                            }
                        }
                    }
                }
                // Authors delete posts the others are liking (each deletion removes likes of several users).
                for user in users {
                    group.addTask {
                        for post in try #require(posts[user]).prefix(2) {
                            _ = try await harness.asUser(user) {
                                try await harness.posts.deletePost(.with { $0.postID = post.postID })
                            }
                        }
                        try await harness.post(user, "\(user) late")
                    }
                }
                group.addTask {
                    for _ in 0..<20 { _ = try await harness.feed("alice", kind: .personal) }
                }
                try await group.waitForAll()
            }
            let expected = try await fullCount(of: "alice", harness)
            #expect(try await harness.feed("alice", kind: .personal).total == expected)
            #expect(try await harness.feed("alice", kind: .personal).total == expected)
        }
    }
}

/// `user` likes `post`; a post deleted meanwhile is no failure.
private func like(_ post: Alpha_Post_V1_Post, as user: String, _ harness: PostServiceHarness) async throws {
    try await ignoringGone {
        _ = try await harness.asUser(user) {
            try await harness.interactions.likePost(.with { $0.postID = post.postID })
        }
    }
}

/// Runs `body`, ignoring the answers of a post or like that a concurrent deletion removed (ERR-020 not
/// found, ERR-022 not liked); any other error fails the test.
private func ignoringGone(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as RPCError where error.code == .notFound || error.code == .failedPrecondition {
        return
    }
}

private func comment(_ post: Alpha_Post_V1_Post, as user: String, _ harness: PostServiceHarness) async throws {
    _ = try await harness.asUser(user) {
        try await harness.interactions.createComment(
            .with {
                $0.postID = post.postID
                $0.content = "hm"
            })
    }
}

/// The personal feed's definition counted directly: distinct posts authored, liked or commented by the users
/// `follower` follows in the post service's copy.
private func fullCount(of follower: String, _ harness: PostServiceHarness) async throws -> Int {
    let rows = try await harness.postDatabase.query(
        """
        WITH f AS (SELECT followee_name AS name FROM follows WHERE follower_name = \(follower) AND following)
        SELECT count(*) FROM (
            SELECT post_id FROM posts WHERE author_name IN (SELECT name FROM f)
            UNION SELECT post_id FROM likes WHERE username IN (SELECT name FROM f)
            UNION SELECT post_id FROM comments WHERE author_name IN (SELECT name FROM f)
        ) matching
        """,
        logger: harness.logger
    )
    for try await count in rows.decode(Int.self) { return count }
    return 0
}
