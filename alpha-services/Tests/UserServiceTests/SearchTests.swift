import AlphaContracts
import Testing

@Suite("SearchUsers (E09, §7.1, D23)")
struct SearchTests {
    static let names = ["alice", "Alice", "alicE", "alicia", "alex", "al", "bob", "Bobby", "zzzzzzzzzzzzzzzz"]

    func search(
        _ harness: UserServiceHarness,
        _ query: String,
        offset: Int32 = 0,
        limit: Int32 = 10
    ) async throws -> (names: [String], total: Int64) {
        let response = try await harness.asUser("alice") {
            try await harness.users.searchUsers(
                .with {
                    $0.query = query
                    $0.offset = offset
                    $0.limit = limit
                }
            )
        }
        return (response.users.map(\.username), response.total)
    }

    @Test(
        "within 5 edits, case-sensitive, closest first, ties by username in byte order, caller and inactive users included"
    )
    func ordering() async throws {
        try await UserServiceHarness.run { harness in
            for name in Self.names {
                try await harness.register(name, email: "\(name)@example.org", nickname: "nick-\(name)")
            }
            let result = try await search(harness, "alice")
            // Distances: alice 0 · Alice 1 · alicE 1 · alicia 2 · al 3 · alex 3 · Bobby 5 · bob 5.
            #expect(result.names == ["alice", "Alice", "alicE", "alicia", "al", "alex", "Bobby", "bob"])
            #expect(result.total == 8)

            let full = try await harness.asUser("alice") {
                try await harness.users.searchUsers(.with { $0.query = "alicia" })
            }
            #expect(full.users.first?.username == "alicia")
            #expect(full.users.first?.nickname == "nick-alicia")
            #expect(full.users.first?.picture.url == "https://getdrawings.com/free-icon/default-avatar-icon-62.png")
        }
    }

    @Test("the empty query finds every username of at most 5 characters; pages carry the total")
    func emptyQueryAndPages() async throws {
        try await UserServiceHarness.run { harness in
            for name in Self.names {
                try await harness.register(name, email: "\(name)@example.org")
            }
            let all = try await search(harness, "")
            #expect(all.names == ["al", "bob", "alex", "Alice", "Bobby", "alicE", "alice"])
            #expect(all.total == 7)

            let page = try await search(harness, "", offset: 2, limit: 3)
            #expect(page.names == ["alex", "Alice", "Bobby"])
            #expect(page.total == 7)

            let past = try await search(harness, "", offset: 50, limit: 3)
            #expect(past.names.isEmpty)
            #expect(past.total == 7)

            // Out-of-range paging values fall back to the defaults (offset 0, limit 10).
            let defaults = try await search(harness, "", offset: -3, limit: 0)
            #expect(defaults.names == all.names)
        }
    }

    @Test("a query too long to be within 5 edits of any username answers an empty page, even a very long one")
    func longQueries() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.register("abcdefghijklmnopqrst")  // 20 characters
            let reachable = try await search(harness, "abcdefghijklmnopqrstuvwxy")  // 25: 5 insertions away
            #expect(reachable.names == ["abcdefghijklmnopqrst"])
            let tooLong = try await search(harness, "abcdefghijklmnopqrstuvwxyz")
            #expect(tooLong.names.isEmpty)
            #expect(tooLong.total == 0)
            let huge = try await search(harness, String(repeating: "ä", count: 1000))
            #expect(huge.total == 0)
            let unicode = try await search(harness, "äbcdefghijklmnopqrst")
            #expect(unicode.names == ["abcdefghijklmnopqrst"])
        }
    }
}
