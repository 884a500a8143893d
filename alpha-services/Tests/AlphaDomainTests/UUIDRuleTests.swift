import Foundation
import Testing

@testable import AlphaDomain

@Suite("R-PATH-UUID and R-UUID4")
struct UUIDRuleTests {
    @Test("path ids accept any version in either case and parse to the same UUID")
    func pathUUIDAnyVersionAnyCase() throws {
        let lower = "0b6f5c1e-3c1a-4a53-9b1d-2f6a3c8d9e10"
        let parsed = try #require(ValidationRules.pathUUID(lower))
        #expect(parsed.uuidString.lowercased() == lower)
        #expect(ValidationRules.pathUUID(lower.uppercased()) == parsed)
        #expect(ValidationRules.isValidPathUUID("6ba7b810-9dad-11d1-80b4-00c04fd430c8"))  // v1
        #expect(ValidationRules.isValidPathUUID("00000000-0000-0000-0000-000000000000"))
        #expect(ValidationRules.isValidPathUUID("0B6F5C1E-3c1a-4A53-9b1d-2F6A3C8D9E10"))
    }

    @Test(
        "path ids that are not canonical UUIDs are rejected",
        arguments: [
            "", "unknownsubscription", "0b6f5c1e3c1a4a539b1d2f6a3c8d9e10", "{0b6f5c1e-3c1a-4a53-9b1d-2f6a3c8d9e10}",
            "0b6f5c1e-3c1a-4a53-9b1d-2f6a3c8d9e1", "0b6f5c1e-3c1a-4a53-9b1d-2f6a3c8d9e100",
            "0b6f5c1g-3c1a-4a53-9b1d-2f6a3c8d9e10", " 0b6f5c1e-3c1a-4a53-9b1d-2f6a3c8d9e10",
            "urn:uuid:0b6f5c1e-3c1a-4a53-9b1d-2f6a3c8d9e10", "0b6f5c1e_3c1a_4a53_9b1d_2f6a3c8d9e10",
        ])
    func invalidPathUUIDs(_ value: String) {
        #expect(ValidationRules.pathUUID(value) == nil)
        #expect(!ValidationRules.isValidPathUUID(value))
    }

    @Test("a lowercase canonical v4 UUID is a valid UUID4, including a freshly generated one")
    func validUUID4() {
        #expect(ValidationRules.isValidUUID4("0b6f5c1e-3c1a-4a53-9b1d-2f6a3c8d9e10"))
        #expect(ValidationRules.isValidUUID4("0b6f5c1e-3c1a-4a53-ab1d-2f6a3c8d9e10"))
        #expect(ValidationRules.isValidUUID4(UUID().uuidString.lowercased()))
    }

    @Test(
        "uppercase, other versions, wrong variant and empty are not UUID4",
        arguments: [
            "0B6F5C1E-3C1A-4A53-9B1D-2F6A3C8D9E10",  // uppercase
            "6ba7b810-9dad-11d1-80b4-00c04fd430c8",  // version 1
            "0b6f5c1e-3c1a-5a53-9b1d-2f6a3c8d9e10",  // version 5
            "0b6f5c1e-3c1a-4a53-7b1d-2f6a3c8d9e10",  // variant 0
            "0b6f5c1e-3c1a-4a53-cb1d-2f6a3c8d9e10",  // variant 110
            "", "not-a-uuid",
        ])
    func invalidUUID4(_ value: String) {
        #expect(!ValidationRules.isValidUUID4(value))
    }
}
