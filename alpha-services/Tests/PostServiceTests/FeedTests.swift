import AlphaContracts
import AlphaDomain
import Foundation
import Testing

@Suite("ListFeed and ListUserPosts (E18–E20) on real PostgreSQL")
struct FeedTests {
    @Test("25 posts in one instant: every page size walks each post exactly once, newest first by id (D27)")
    func tiesAcrossPages() async throws {
        try await PostServiceHarness.run { harness in
            try await harness.addUsers("alice", "bob")
            var ids: [String] = []
            for index in 0..<25 {
                if index == 20 { harness.clock.advance(by: 1) }  // five newer ones on top
                ids.append(try await harness.post(index.isMultiple(of: 2) ? "alice" : "bob", "post \(index)").postID)
            }
            let expected = Array(ids[20...]).sorted(by: >) + Array(ids[..<20]).sorted(by: >)
            for limit: Int32 in [1, 3, 7, 10, 25, 100] {
                #expect(try await harness.walk("alice", limit: limit) == expected, "limit \(limit)")
            }
            #expect(try await harness.walk(nil, limit: 4) == expected)
        }
    }

    @Test("cursor forms: integer = offset, unknown id or garbage = empty page, limit 0 = empty with the total")
    func cursors() async throws {
        try await PostServiceHarness.run { harness in
            try await harness.addUsers("alice")
            var ids: [String] = []
            for index in 0..<5 {
                harness.clock.advance(by: 1)
                ids.append(try await harness.post("alice", "p\(index)").postID)
            }
            let newestFirst = Array(ids.reversed())
            let first = try await harness.feed("alice", limit: 2)
            #expect(first.posts.map(\.postID) == Array(newestFirst[0..<2]))
            #expect(first.nextPageToken == newestFirst[1] && first.total == 5 && first.limit == 2)
            let next = try await harness.feed("alice", pageToken: first.nextPageToken.uppercased(), limit: 2)
            #expect(next.posts.map(\.postID) == Array(newestFirst[2..<4]))
            let offset = try await harness.feed("alice", pageToken: "3", limit: 10)
            #expect(offset.posts.map(\.postID) == Array(newestFirst[3...]))
            let pastEnd = try await harness.feed("alice", pageToken: "7")
            #expect(pastEnd.posts.isEmpty && pastEnd.nextPageToken == "7" && pastEnd.total == 5)
            for token in [UUID().uuidString, "garbage", "-1"] {
                let page = try await harness.feed("alice", pageToken: token)
                #expect(page.posts.isEmpty && page.nextPageToken == "0" && page.total == 5, "\(token)")
            }
            let zero = try await harness.feed("alice", limit: 0)
            #expect(zero.posts.isEmpty && zero.total == 5 && zero.limit == 0)
            let clamped = try await harness.feed("alice", limit: 500)
            #expect(clamped.limit == 100 && clamped.posts.count == 5)
        }
    }

    @Test("personal feed: posts authored, liked or commented by followees, each once, newest first (§6.2)")
    func personal() async throws {
        try await PostServiceHarness.run { harness in
            try await harness.addUsers("alice", "bob", "carol", "dave", "eve")
            try await harness.follow("alice", "bob")
            try await harness.follow("alice", "carol")
            func step() { harness.clock.advance(by: 1) }
            step()
            let byBob = try await harness.post("bob", "bob writes")
            step()
            let likedByCarol = try await harness.post("dave", "dave writes")
            step()
            let commentedByCarol = try await harness.post("eve", "eve writes")
            step()
            let unrelated = try await harness.post("dave", "nobody cares")
            step()
            let own = try await harness.post("alice", "alice writes")
            step()
            let likedAndCommented = try await harness.post("alice", "popular")
            try await harness.asUser("carol") {
                _ = try await harness.interactions.likePost(.with { $0.postID = likedByCarol.postID })
                for postID in [commentedByCarol.postID, commentedByCarol.postID, likedAndCommented.postID] {
                    _ = try await harness.interactions.createComment(
                        .with {
                            $0.postID = postID
                            $0.content = "hm"
                        })
                }
                _ = try await harness.interactions.likePost(.with { $0.postID = likedAndCommented.postID })
            }
            try await harness.asUser("bob") {
                _ = try await harness.interactions.likePost(.with { $0.postID = likedAndCommented.postID })
            }
            let expected = [likedAndCommented, commentedByCarol, likedByCarol, byBob].map(\.postID)
            let page = try await harness.feed("alice", kind: .personal)
            #expect(page.posts.map(\.postID) == expected)
            #expect(page.total == 4)
            #expect(
                !page.posts.map(\.postID).contains(unrelated.postID) && !page.posts.map(\.postID).contains(own.postID))
            #expect(try await harness.walk("alice", kind: .personal, limit: 1) == expected)
            for offset in ["3", "4", "2147483647", "99999999999"] {
                let page = try await harness.feed("alice", kind: .personal, pageToken: offset, limit: 100)
                #expect(page.posts.map(\.postID) == Array(expected.dropFirst(3).prefix(offset == "3" ? 1 : 0)))
                #expect(page.total == 4, "\(offset)")
            }
            let lonely = try await harness.feed("dave", kind: .personal)
            #expect(lonely.posts.isEmpty && lonely.total == 0 && lonely.nextPageToken == "0")
            #expect(await outcome { try await harness.feed(nil, kind: .personal) } == "unauthenticated")
        }
    }

    @Test("hashtag search: lower-cased query with or without #, newest first, paginated, counted (§6.3, D26)")
    func hashtags() async throws {
        try await PostServiceHarness.run { harness in
            try await harness.addUsers("alice", "bob")
            var tagged: [String] = []
            for index in 0..<4 {
                harness.clock.advance(by: 1)
                tagged.append(
                    try await harness.post(index.isMultiple(of: 2) ? "alice" : "bob", "#Arda no. \(index)").postID)
                try await harness.post("alice", "#other \(index)")
            }
            for query in ["Arda", "#arda", "ARDA"] {
                let page = try await harness.feed("alice", hashtag: query, limit: 3)
                #expect(page.posts.map(\.postID) == Array(tagged.reversed()[0..<3]) && page.total == 4, "\(query)")
            }
            #expect(try await harness.walk("bob", hashtag: "arda", limit: 3) == tagged.reversed())
            for query in ["#nothing", "ab-cd", "#"] {
                let page = try await harness.feed("alice", hashtag: query)
                #expect(page.posts.isEmpty && page.total == 0, "\(query)")
            }
        }
    }

    @Test("user posts: newest first with offset and the user's total; unknown user ERR-004")
    func userPosts() async throws {
        try await PostServiceHarness.run { harness in
            try await harness.addUsers("alice", "bob")
            var ids: [String] = []
            for index in 0..<4 {
                harness.clock.advance(by: 1)
                ids.append(try await harness.post("alice", "p\(index)").postID)
                try await harness.post("bob", "b\(index)")
            }
            let page = try await harness.asUser("bob") {
                try await harness.posts.listUserPosts(
                    .with {
                        $0.username = "alice"
                        $0.offset = 1
                        $0.limit = 2
                    })
            }
            #expect(page.posts.map(\.postID) == [ids[2], ids[1]] && page.total == 4)
            #expect(page.posts.allSatisfy { $0.author.username == "alice" })
            for name in ["ghost", "not a name"] {
                let missing = await outcome {
                    try await harness.asUser("bob") {
                        try await harness.posts.listUserPosts(.with { $0.username = name })
                    }
                }
                #expect(missing == "ERR-004")
            }
        }
    }

    @Test("one user-service call per page whatever its size (the personal feed's followees come from the copy)")
    func batchedAuthorLookups() async throws {
        try await PostServiceHarness.run { harness in
            try await harness.addUsers("alice", "bob", "carol")
            try await harness.follow("alice", "bob")
            for index in 0..<60 {
                let original = try await harness.post(index.isMultiple(of: 2) ? "bob" : "carol", "post \(index)")
                try await harness.post("bob", "re", repostOf: original.postID)
            }
            // alice's first personal feed copies her followees from the user service, once.
            let beforeCopy = harness.directory.calls
            _ = try await harness.feed("alice", kind: .personal, limit: 1)
            #expect(harness.directory.calls.followees - beforeCopy.followees == 1)
            for limit: Int32 in [5, 50, 100] {
                let before = harness.directory.calls
                let page = try await harness.feed("alice", limit: limit)
                let afterGlobal = harness.directory.calls
                #expect(page.posts.count == Int(limit))
                #expect(
                    page.posts.allSatisfy {
                        $0.author.username != "" && $0.repost.author.username != "" || !$0.hasRepost
                    })
                #expect(afterGlobal.summaries - before.summaries == 1 && afterGlobal.followees == before.followees)
                _ = try await harness.feed("alice", kind: .personal, limit: limit)
                let afterPersonal = harness.directory.calls
                #expect(afterPersonal.summaries - afterGlobal.summaries == 1)
                #expect(afterPersonal.followees == afterGlobal.followees)
            }
        }
    }
}
