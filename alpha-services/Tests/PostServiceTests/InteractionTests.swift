import AlphaContracts
import AlphaDomain
import Foundation
import Testing

@Suite("LikePost, UnlikePost, CreateComment, ListComments (E21–E24) on real PostgreSQL")
struct InteractionTests {
    @Test("like once (then ERR-021), the count and `liked` follow; unlike once (then ERR-022)")
    func likes() async throws {
        try await PostServiceHarness.run { harness in
            try await harness.addUsers("alice", "bob")
            let post = try await harness.post("alice", "like me")
            let request = Alpha_Post_V1_LikeRequest.with { $0.postID = post.postID }
            let like = {
                await outcome { try await harness.asUser("bob") { try await harness.interactions.likePost(request) } }
            }
            let unlike = {
                await outcome { try await harness.asUser("bob") { try await harness.interactions.unlikePost(request) } }
            }
            #expect(await like() == "ok")
            #expect(await like() == "ERR-021")
            let bobSees = try await harness.feed("bob").posts[0]
            let aliceSees = try await harness.feed("alice").posts[0]
            let anonymousSees = try await harness.feed(nil).posts[0]
            #expect(bobSees.likes == 1 && bobSees.liked)
            #expect(aliceSees.likes == 1 && !aliceSees.liked)
            #expect(anonymousSees.likes == 1 && !anonymousSees.liked)
            #expect(await unlike() == "ok")
            #expect(await unlike() == "ERR-022")
            #expect(try await harness.feed("bob").posts[0].likes == 0)
        }
    }

    @Test("like: unknown or malformed post ERR-020; unlike: malformed ERR-020, unknown ERR-022 (D21)")
    func likeErrors() async throws {
        try await PostServiceHarness.run { harness in
            try await harness.addUsers("bob")
            let unknown = Alpha_Post_V1_LikeRequest.with { $0.postID = UUID().uuidString }
            let malformed = Alpha_Post_V1_LikeRequest.with { $0.postID = "nope" }
            await harness.asUser("bob") {
                #expect(await outcome { try await harness.interactions.likePost(unknown) } == "ERR-020")
                #expect(await outcome { try await harness.interactions.likePost(malformed) } == "ERR-020")
                #expect(await outcome { try await harness.interactions.unlikePost(unknown) } == "ERR-022")
                #expect(await outcome { try await harness.interactions.unlikePost(malformed) } == "ERR-020")
            }
            #expect(await outcome { try await harness.interactions.likePost(unknown) } == "unauthenticated")
        }
    }

    @Test("a comment answers id, content, the caller as author and its time; lists are newest first with totals")
    func comments() async throws {
        try await PostServiceHarness.run { harness in
            try await harness.addUsers("alice", "bob")
            let post = try await harness.post("alice", "talk")
            var created: [Alpha_Post_V1_Comment] = []
            for (index, user) in ["bob", "alice", "bob"].enumerated() {
                // Two comments in the same instant: the id orders them.
                if index == 2 { harness.clock.advance(by: 0) } else { harness.clock.advance(by: 1) }
                created.append(
                    try await harness.asUser(user) {
                        try await harness.interactions.createComment(
                            .with {
                                $0.postID = post.postID
                                $0.content = "comment \(index)"
                            })
                    })
            }
            #expect(created[0].author.username == "bob" && created[0].author.nickname == "Bob")
            #expect(created[0].content == "comment 0")
            #expect(ValidationRules.isValidUUID4(created[0].commentID))
            #expect(created[1].createdAt == Timestamp.string(from: harness.clock.now()))

            let list = try await harness.asUser("bob") {
                try await harness.interactions.listComments(.with { $0.postID = post.postID })
            }
            #expect(list.total == 3)
            let sameInstant = [created[1], created[2]].map(\.commentID).sorted(by: >)
            #expect(list.comments.map(\.commentID) == sameInstant + [created[0].commentID])
            let second = try await harness.asUser("bob") {
                try await harness.interactions.listComments(
                    .with {
                        $0.postID = post.postID
                        $0.offset = 2
                        $0.limit = 5
                    })
            }
            #expect(second.comments.map(\.commentID) == [created[0].commentID] && second.total == 3)
            #expect(try await harness.feed("bob").posts[0].comments == 3)
        }
    }

    @Test("comment rules: 1–128 escaped characters (ERR-001, before the id), unknown or malformed post ERR-020")
    func commentErrors() async throws {
        try await PostServiceHarness.run { harness in
            try await harness.addUsers("bob")
            let post = try await harness.post("bob", "x")
            func comment(_ id: String, _ content: String) async -> String {
                await outcome {
                    try await harness.asUser("bob") {
                        try await harness.interactions.createComment(
                            .with {
                                $0.postID = id
                                $0.content = content
                            })
                    }
                }
            }
            #expect(await comment(post.postID, "") == "ERR-001")
            #expect(await comment(post.postID, String(repeating: "a", count: 129)) == "ERR-001")
            #expect(await comment(post.postID, String(repeating: "a", count: 128)) == "ok")
            #expect(await comment("malformed", "") == "ERR-001")
            #expect(await comment("malformed", "hi") == "ERR-020")
            #expect(await comment(UUID().uuidString, "hi") == "ERR-020")
            let list = await outcome {
                try await harness.asUser("bob") {
                    try await harness.interactions.listComments(.with { $0.postID = UUID().uuidString })
                }
            }
            #expect(list == "ERR-020")
        }
    }
}
