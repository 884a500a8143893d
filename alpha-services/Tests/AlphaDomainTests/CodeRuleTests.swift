import Testing

@testable import AlphaDomain

@Suite("R-CODE")
struct CodeRuleTests {
    @Test("exactly six ASCII digits are valid")
    func sixDigits() {
        #expect(ValidationRules.isValidCode("123456"))
        #expect(ValidationRules.isValidCode("000000"))
    }

    @Test(
        "wrong length, letters, signs and non-ASCII digits are invalid",
        arguments: [
            "", "12345", "1234567", "12345a", "-12345", "+12345", "1.2345", " 12345", "١٢٣٤٥٦", "１２３４５６",
        ])
    func invalidCodes(_ code: String) {
        #expect(!ValidationRules.isValidCode(code))
    }
}
