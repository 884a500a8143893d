import Testing

@testable import AlphaDomain

@Suite("Input normalisation (D34)")
struct InputNormalizerTests {
    @Test("trimming removes ASCII and Unicode whitespace at both ends only")
    func trimsBothEnds() {
        #expect(InputNormalizer.trimmed("  alice \t\n") == "alice")
        #expect(InputNormalizer.trimmed("\u{00A0}\u{3000}bob\u{2003}\u{2028}\u{0085}") == "bob")
        #expect(InputNormalizer.trimmed("a  b") == "a  b")
        #expect(InputNormalizer.trimmed("   ") == "")
        #expect(InputNormalizer.trimmed("") == "")
        #expect(InputNormalizer.trimmed("x") == "x")
    }

    @Test("trimming keeps characters that are not White_Space, like zero-width space")
    func keepsNonWhitespace() {
        #expect(InputNormalizer.trimmed("\u{200B}a\u{FEFF}") == "\u{200B}a\u{FEFF}")
    }

    @Test("trimming works on scalars: a combining mark after a leading space survives")
    func trimsScalars() {
        #expect(InputNormalizer.trimmed(" \u{301}e").unicodeScalars.map(\.value) == [0x301, 0x65])
    }

    @Test("escaping replaces exactly & < > \" ' with the contract's entities")
    func escapesFiveCharacters() {
        #expect(
            InputNormalizer.htmlEscaped(#"<b>"Tom" & 'Jerry'</b>"#)
                == "&lt;b&gt;&#34;Tom&#34; &amp; &#39;Jerry&#39;&lt;/b&gt;")
        #expect(InputNormalizer.htmlEscaped("I'm") == "I&#39;m")
        #expect(InputNormalizer.htmlEscaped("plain text äöü 🎉 #tag") == "plain text äöü 🎉 #tag")
    }

    @Test("escaping is not idempotent: an existing entity is escaped again")
    func escapesEntitiesAgain() {
        #expect(InputNormalizer.htmlEscaped("&amp;") == "&amp;amp;")
    }

    @Test("markup is escaped, never stripped or whitelisted")
    func noTagWhitelist() {
        #expect(InputNormalizer.escapedFreeText("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;")
        #expect(InputNormalizer.escapedFreeText("<b>bold</b>") == "&lt;b&gt;bold&lt;/b&gt;")
    }

    @Test("free text is trimmed, then escaped")
    func freeTextTrimsThenEscapes() {
        #expect(InputNormalizer.escapedFreeText("  Tom & Jerry \n") == "Tom &amp; Jerry")
    }

    @Test("content, status and nickname are free text")
    func freeTextKeys() {
        for key in ["content", "status", "nickname"] {
            #expect(InputNormalizer.kind(forKey: key) == .freeText)
        }
    }

    @Test("passwords are left verbatim, including surrounding spaces and quotes")
    func passwordsVerbatim() {
        for key in ["password", "oldPassword", "newPassword"] {
            #expect(InputNormalizer.kind(forKey: key) == .verbatim)
        }
        #expect(InputNormalizer.normalized(" P&ss'w0rd ", as: .verbatim) == " P&ss'w0rd ")
    }

    @Test("usernames, e-mails, codes and other keys are trimmed only")
    func otherKeysTrimmed() {
        for key in ["username", "email", "token", "following", "refreshToken", "picture", "repostedPostId", "type"] {
            #expect(InputNormalizer.kind(forKey: key) == .trimmed)
        }
        #expect(InputNormalizer.normalized(" o'brien@x.de ", as: .trimmed) == "o'brien@x.de")
        #expect(InputNormalizer.normalized(" <3 ", as: .freeText) == "&lt;3")
    }
}
