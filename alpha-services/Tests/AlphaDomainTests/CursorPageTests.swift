import Testing

@testable import AlphaDomain

@Suite("Cursor pagination of the post feeds (§1.5, D27, D28)")
struct CursorPageTests {
    static let id = "0b6f5c1e-3c1a-4a53-9b1d-2f6a3c8d9e10"

    @Test("no cursor and no limit: the first page of 10")
    func defaults() {
        #expect(CursorPage.parse(postId: nil, limit: nil) == CursorPage(cursor: .start, limit: 10))
        #expect(CursorPage.parse(postId: "", limit: nil).cursor == .start)
    }

    @Test("limit: 0 is kept (an empty page), above 100 clamped, negative or garbage → 10")
    func limits() {
        #expect(CursorPage.parseLimit("0") == 0)
        #expect(CursorPage.parseLimit("7") == 7)
        #expect(CursorPage.parseLimit("100") == 100)
        #expect(CursorPage.parseLimit("101") == 100)
        for raw in ["-1", "-100", "abc", "1.5", "", " 5", "99999999999999999999999"] {
            #expect(CursorPage.parseLimit(raw) == 10, "\(raw)")
        }
    }

    @Test("an integer cursor is an offset; a negative one is malformed")
    func integerCursor() {
        #expect(CursorPage.parseCursor("0") == .offset(0))
        #expect(CursorPage.parseCursor("25") == .offset(25))
        #expect(CursorPage.parseCursor("-3") == .malformed)
    }

    @Test("a UUID cursor (any case) names the post to continue after, lowercased")
    func uuidCursor() {
        #expect(CursorPage.parseCursor(Self.id) == .after(Self.id))
        #expect(CursorPage.parseCursor(Self.id.uppercased()) == .after(Self.id))
    }

    @Test("anything else is malformed (an empty page, never an error)", arguments: ["abc", "0b6f5c1e", "1e3", "{}"])
    func malformed(_ raw: String) {
        #expect(CursorPage.parseCursor(raw) == .malformed)
    }

    @Test("lastPostId: the last record's id, else the integer cursor echoed, else \"0\"")
    func lastPostId() {
        let page = CursorPage(cursor: .start, limit: 10)
        #expect(page.lastPostId(pageIDs: ["a", "b"]) == "b")
        #expect(page.lastPostId(pageIDs: []) == "0")
        #expect(CursorPage(cursor: .offset(40), limit: 10).lastPostId(pageIDs: []) == "40")
        #expect(CursorPage(cursor: .after(Self.id), limit: 10).lastPostId(pageIDs: []) == "0")
        #expect(CursorPage(cursor: .malformed, limit: 10).lastPostId(pageIDs: []) == "0")
    }
}
