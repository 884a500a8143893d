import Foundation
import Testing

@testable import AlphaDomain

@Suite("RFC 3339 timestamps")
struct TimestampTests {
    @Test("formats UTC with seconds and Z, no fractional seconds")
    func formatsContractExample() {
        let date = Date(timeIntervalSince1970: 1_721_986_867)  // 2024-07-26T09:41:07Z
        #expect(Timestamp.string(from: date) == "2024-07-26T09:41:07Z")
    }

    @Test("fractional seconds are truncated, not rounded")
    func truncatesFraction() {
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: 1_721_986_867.999)) == "2024-07-26T09:41:07Z")
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: 0.5)) == "1970-01-01T00:00:00Z")
    }

    @Test("dates before 1970 with a fraction truncate toward the earlier second")
    func beforeEpoch() {
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59Z")
    }

    @Test("parses Z, numeric offsets and fractional seconds")
    func parses() throws {
        let expected = Date(timeIntervalSince1970: 1_721_986_867)
        #expect(Timestamp.date(from: "2024-07-26T09:41:07Z") == expected)
        #expect(Timestamp.date(from: "2024-07-26T11:41:07+02:00") == expected)
        let fractional = try #require(Timestamp.date(from: "2024-07-26T09:41:07.250Z"))
        #expect(abs(fractional.timeIntervalSince1970 - 1_721_986_867.25) < 0.001)
    }

    @Test("rejects strings that are not RFC 3339", arguments: ["", "yesterday", "2024-07-26", "1721986867"])
    func rejects(_ raw: String) {
        #expect(Timestamp.date(from: raw) == nil)
    }

    @Test("formatting round-trips through parsing")
    func roundTrip() {
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(Timestamp.date(from: Timestamp.string(from: date)) == date)
    }

    @Test("formatting is safe from many tasks at once")
    func concurrent() async {
        let results = await withTaskGroup(of: String.self) { group in
            for offset in 0..<200 {
                group.addTask {
                    Timestamp.string(from: Date(timeIntervalSince1970: 1_721_986_867 + Double(offset % 2)))
                }
            }
            return await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(results == ["2024-07-26T09:41:07Z", "2024-07-26T09:41:08Z"])
    }
}
