import Testing

@testable import AlphaDomain

@Suite("R-EMAIL")
struct EmailRuleTests {
    @Test(
        "ordinary addresses are valid",
        arguments: [
            "alice@example.org", "ggw.chang@gmail.com", "a.b+tag@sub.example.co", "o'brien@x.de",
            "first_last-1@my-domain.io", "x@y.zz", "user@xn--bcher-kva.example", "jürgen@müller.de",
            "!#$%&'*+/=?^_`{|}~-@example.com",
        ])
    func validAddresses(_ email: String) {
        #expect(ValidationRules.isValidEmail(email))
    }

    @Test(
        "malformed shapes are invalid",
        arguments: [
            "", "alice", "@example.org", "alice@", "alice@@example.org", "al@ice@example.org",
            "alice@example", ".alice@example.org", "alice.@example.org", "al..ice@example.org",
            "al ice@example.org", "alice@exa mple.org", "alice@-example.org", "alice@example-.org",
            "alice@example..org", "alice@.example.org", "alice@example.org.", "alice@127.0.0.1",
            "alice@[127.0.0.1]", "\"al ice\"@example.org", "alice@exa_mple.org", "alice<@example.org",
        ])
    func invalidAddresses(_ email: String) {
        #expect(!ValidationRules.isValidEmail(email))
    }

    @Test("128 characters are valid, 129 are invalid (D09)")
    func lengthLimit() {
        let domain = "@" + String(repeating: "d", count: 60) + "." + String(repeating: "e", count: 60) + ".de"
        let local128 = String(repeating: "l", count: 128 - domain.count)
        #expect((local128 + domain).count == 128)
        #expect(ValidationRules.isValidEmail(local128 + domain))
        #expect(!ValidationRules.isValidEmail("l" + local128 + domain))
    }

    @Test("a local part over 64 characters or a label over 63 is invalid")
    func partLimits() {
        #expect(ValidationRules.isValidEmail(String(repeating: "a", count: 64) + "@x.de"))
        #expect(!ValidationRules.isValidEmail(String(repeating: "a", count: 65) + "@x.de"))
        #expect(ValidationRules.isValidEmail("a@" + String(repeating: "b", count: 63) + ".de"))
        #expect(!ValidationRules.isValidEmail("a@" + String(repeating: "b", count: 64) + ".de"))
    }
}
