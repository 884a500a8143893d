import Testing

@testable import AlphaDomain

@Suite("R-PASSWORD")
struct PasswordRuleTests {
    @Test("a password with all four classes and 8 characters is valid")
    func minimalValid() {
        #expect(ValidationRules.isValidPassword("Aa1!aaaa"))
        #expect(ValidationRules.isValidPassword("Secret#2024"))
    }

    @Test("7 characters are too short")
    func tooShort() {
        #expect(!ValidationRules.isValidPassword("Aa1!aaa"))
    }

    @Test(
        "a missing class makes it invalid",
        arguments: [
            "aa1!aaaa",  // no uppercase
            "AA1!AAAA",  // no lowercase
            "Aa!!aaaa",  // no digit
            "Aa1aaaaa",  // no symbol
            "Aa1 aaaa",  // space is not a symbol
        ])
    func missingClass(_ password: String) {
        #expect(!ValidationRules.isValidPassword(password))
    }

    @Test("every ASCII punctuation/symbol character counts as the symbol class")
    func everySymbolCounts() {
        for symbol in ##"!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"## {
            #expect(ValidationRules.isValidPassword("Aa1aaaa" + String(symbol)), "symbol \(symbol)")
        }
    }

    @Test("72 bytes are valid, 73 bytes are invalid (D09)")
    func byteLimit() {
        let base = "Aa1!"
        #expect(ValidationRules.isValidPassword(base + String(repeating: "x", count: 68)))
        #expect(!ValidationRules.isValidPassword(base + String(repeating: "x", count: 69)))
    }

    @Test("any non-ASCII character makes it invalid")
    func nonASCII() {
        #expect(!ValidationRules.isValidPassword("Aa1!aaaaä"))
        #expect(!ValidationRules.isValidPassword("Aa1!aaaa🙂"))
        #expect(!ValidationRules.isValidPassword("Aa1!aaaa\u{00A0}"))
    }

    @Test("spaces are allowed inside and at the ends")
    func spacesAllowed() {
        #expect(ValidationRules.isValidPassword(" Aa1! aaa "))
    }

    @Test(
        "control characters (U+0000–U+001F, U+007F) make it invalid, NUL included",
        arguments: [
            "Aa1!aaaa\u{0}", "Aa1!\u{0}aaaaaaa", "Aa1!aaaa\t", "Aa1!aaaa\n", "Aa1!aaaa\u{1F}", "Aa1!aaaa\u{7F}",
        ]
    )
    func controlCharacters(_ password: String) {
        #expect(!ValidationRules.isValidPassword(password))
    }
}
