import Testing

@testable import AlphaDomain

@Suite("R-LOCATION (§1.4, D22)")
struct LocationRuleTests {
    @Test("ranges are inclusive; zero is a valid coordinate; accuracy defaults to 0")
    func valid() {
        #expect(GeoLocation(latitude: 0, longitude: 0, accuracy: nil) == GeoLocation(stored: 0, 0, 0))
        #expect(GeoLocation(latitude: 0, longitude: 8.466, accuracy: 25) != nil)
        #expect(GeoLocation(latitude: -90, longitude: 180, accuracy: 0) != nil)
        #expect(GeoLocation(latitude: 90, longitude: -180, accuracy: 2_147_483_647) != nil)
    }

    @Test("out of range or negative accuracy is invalid")
    func invalid() {
        #expect(GeoLocation(latitude: 90.5, longitude: 0, accuracy: nil) == nil)
        #expect(GeoLocation(latitude: 0, longitude: -180.01, accuracy: nil) == nil)
        #expect(GeoLocation(latitude: 1, longitude: 1, accuracy: -1) == nil)
        #expect(GeoLocation(latitude: 1, longitude: 1, accuracy: 2_147_483_648) == nil)
    }

    @Test("coordinates keep 32-bit float precision, as the contract serialises them")
    func precision() {
        let location = GeoLocation(latitude: 49.48765432, longitude: 8.466, accuracy: 5)
        #expect(location?.latitude == Float(49.48765432))
    }
}
