import Testing

@testable import AlphaDomain

@Suite("R-USERNAME")
struct UsernameRuleTests {
    @Test("1 to 20 allowed characters are valid")
    func validLengths() {
        #expect(ValidationRules.isValidUsername("a"))
        #expect(ValidationRules.isValidUsername(String(repeating: "a", count: 20)))
        #expect(ValidationRules.isValidUsername("Alice.B-c_9"))
    }

    @Test("empty and 21 characters are invalid")
    func invalidLengths() {
        #expect(!ValidationRules.isValidUsername(""))
        #expect(!ValidationRules.isValidUsername(String(repeating: "a", count: 21)))
    }

    @Test(
        "characters outside A-Z a-z 0-9 . - _ are invalid",
        arguments: [
            "al ice", "alice!", "al@ice", "älice", "alice\n", "bob+1", "a/b", "名前", "🙂", "a'b",
        ])
    func illegalCharacters(_ name: String) {
        #expect(!ValidationRules.isValidUsername(name))
    }
}
