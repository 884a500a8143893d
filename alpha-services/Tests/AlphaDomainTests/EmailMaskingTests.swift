import Testing

@testable import AlphaDomain

@Suite("E-mail masking (E07)")
struct EmailMaskingTests {
    @Test(
        "the contract's examples are masked exactly",
        arguments: [
            ("ggw.chang@gmail.com", "ggw****ng@gmail.com"),
            ("qq@gmail.com", "qq****@gmail.com"),
            ("alexander@x.de", "ale****er@x.de"),
            ("abcde@x.de", "abc****@x.de"),
        ])
    func contractExamples(_ email: String, _ expected: String) {
        #expect(EmailMasking.masked(email) == expected)
    }

    @Test("characters 4 to 7 are hidden, from the 8th on they are shown")
    func boundaries() {
        #expect(EmailMasking.masked("abcdefg@x.de") == "abc****@x.de")
        #expect(EmailMasking.masked("abcdefgh@x.de") == "abc****h@x.de")
        #expect(EmailMasking.masked("a@x.de") == "a****@x.de")
    }

    @Test("non-ASCII local parts are masked by characters, not bytes")
    func unicode() {
        #expect(EmailMasking.masked("jürgen.müller@x.de") == "jür****müller@x.de")
    }
}
