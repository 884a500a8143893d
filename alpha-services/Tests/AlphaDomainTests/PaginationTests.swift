import Foundation
import Testing

@testable import AlphaDomain

@Suite("Offset pagination (§1.5, D28)")
struct PaginationTests {
    @Test("missing values give offset 0 and limit 10")
    func defaults() {
        #expect(OffsetPage.parse(offset: nil, limit: nil) == OffsetPage(offset: 0, limit: 10))
    }

    @Test("valid values are taken as they are")
    func validValues() {
        #expect(OffsetPage.parse(offset: "20", limit: "5") == OffsetPage(offset: 20, limit: 5))
        #expect(OffsetPage.parse(offset: "0", limit: "1") == OffsetPage(offset: 0, limit: 1))
        #expect(OffsetPage.parse(offset: "+3", limit: "007") == OffsetPage(offset: 3, limit: 7))
    }

    @Test("limit 100 is kept, larger limits are clamped to 100")
    func clamping() {
        #expect(OffsetPage.parse(offset: nil, limit: "100").limit == 100)
        #expect(OffsetPage.parse(offset: nil, limit: "101").limit == 100)
        #expect(OffsetPage.parse(offset: nil, limit: "1000000").limit == 100)
    }

    @Test(
        "garbage, negative, zero or overflowing limits fall back to 10",
        arguments: [
            "", "abc", "-1", "0", "1.5", " 5", "5 ", "1e2", "99999999999999999999999", "٥",
        ])
    func limitFallback(_ raw: String) {
        #expect(OffsetPage.parse(offset: nil, limit: raw).limit == 10)
    }

    @Test(
        "garbage or negative offsets fall back to 0",
        arguments: [
            "", "abc", "-1", "1.5", " 5", "99999999999999999999999",
        ])
    func offsetFallback(_ raw: String) {
        #expect(OffsetPage.parse(offset: raw, limit: nil).offset == 0)
    }

    @Test("the pagination object encodes as {offset, limit, records}")
    func paginationInfoJSON() throws {
        let info = PaginationInfo(page: OffsetPage(offset: 20, limit: 10), records: 42)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(String(decoding: try encoder.encode(info), as: UTF8.self) == #"{"limit":10,"offset":20,"records":42}"#)
        #expect(PaginationInfo(offset: 30, limit: 10, records: 0) == PaginationInfo(offset: 30, limit: 10, records: 0))
    }
}
