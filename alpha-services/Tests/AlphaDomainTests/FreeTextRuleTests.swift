import Testing

@testable import AlphaDomain

@Suite("R-NICKNAME, R-STATUS, R-POST, R-COMMENT (limits on the escaped text)")
struct FreeTextRuleTests {
    @Test("a nickname of 25 characters is valid, 26 is invalid")
    func nicknameBoundary() {
        #expect(ValidationRules.isValidNickname(String(repeating: "n", count: 25)))
        #expect(!ValidationRules.isValidNickname(String(repeating: "n", count: 26)))
        #expect(ValidationRules.isValidNickname(""))
    }

    @Test("an apostrophe counts as 5 characters once escaped")
    func nicknameEscapedLength() {
        let five = InputNormalizer.escapedFreeText("'''''")
        #expect(five.unicodeScalars.count == 25)
        #expect(ValidationRules.isValidNickname(five))
        #expect(!ValidationRules.isValidNickname(InputNormalizer.escapedFreeText("'''''a")))
        #expect(
            !ValidationRules.isValidNickname(InputNormalizer.escapedFreeText(String(repeating: "a", count: 21) + "&")))
        #expect(
            ValidationRules.isValidNickname(
                InputNormalizer.escapedFreeText("  " + String(repeating: "a", count: 25) + "  ")))
    }

    @Test("characters are code points: an emoji counts 1, e + combining accent counts 2")
    func codePoints() {
        #expect(ValidationRules.isValidNickname(String(repeating: "🙂", count: 25)))
        #expect(!ValidationRules.isValidNickname(String(repeating: "🙂", count: 26)))
        #expect(!ValidationRules.isValidNickname(String(repeating: "e\u{301}", count: 13)))
        #expect(ValidationRules.isValidNickname(String(repeating: "e\u{301}", count: 12) + "x"))
    }

    @Test("a status of 256 characters is valid, 257 is invalid")
    func statusBoundary() {
        #expect(ValidationRules.isValidStatus(""))
        #expect(ValidationRules.isValidStatus(String(repeating: "s", count: 256)))
        #expect(!ValidationRules.isValidStatus(String(repeating: "s", count: 257)))
        #expect(
            ValidationRules.isValidStatus(InputNormalizer.escapedFreeText(String(repeating: "s", count: 252) + "<")))
        #expect(
            !ValidationRules.isValidStatus(InputNormalizer.escapedFreeText(String(repeating: "s", count: 253) + "<")))
    }

    @Test("post content may be empty and at most 256 characters")
    func postContentBoundary() {
        #expect(ValidationRules.isValidPostContentLength(""))
        #expect(ValidationRules.isValidPostContentLength(String(repeating: "p", count: 256)))
        #expect(!ValidationRules.isValidPostContentLength(String(repeating: "p", count: 257)))
    }

    @Test("a comment needs 1 to 128 characters")
    func commentBoundary() {
        #expect(!ValidationRules.isValidComment(""))
        #expect(ValidationRules.isValidComment("c"))
        #expect(ValidationRules.isValidComment(String(repeating: "c", count: 128)))
        #expect(!ValidationRules.isValidComment(String(repeating: "c", count: 129)))
    }
}
