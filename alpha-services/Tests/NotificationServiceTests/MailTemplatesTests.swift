import NotificationService
import Testing

@Suite("Mail templates")
struct MailTemplatesTests {
    @Test(
        "code mails greet the user by name and show the code in both parts",
        arguments: [
            (MailKind.activationCode, "Dein Aktivierungscode für Server Alpha"),
            (MailKind.passwordResetCode, "Dein Code zum Zurücksetzen des Passworts"),
        ]
    )
    func codeMail(kind: MailKind, subject: String) throws {
        let content = try MailTemplates.render(kind, username: "alice", code: "048213")

        #expect(content.subject == subject)
        #expect(content.text.hasPrefix("Hallo alice,\n\n"))
        // The code stands alone on its line in the text part, easy to find and copy.
        #expect(content.text.contains("\n\n    048213\n\n"))
        #expect(content.text.contains("24 Stunden"))
        #expect(content.html.contains("Hallo alice,"))
        #expect(content.html.contains("048213"))
    }

    @Test("the HTML part shows the code large and in a monospace font")
    func codeIsProminentInHTML() throws {
        let html = try MailTemplates.render(.activationCode, username: "alice", code: "123456").html
        let span = try #require(html.range(of: #"<span style="[^"]*">123456</span>"#, options: .regularExpression))
        let style = html[span]
        #expect(style.contains("monospace"))
        #expect(style.contains("font-size:32px"))
        #expect(style.contains("letter-spacing"))
    }

    @Test("the welcome mail greets by name and needs no code")
    func welcomeMail() throws {
        let content = try MailTemplates.render(.welcome, username: "bob_42", code: "")

        #expect(content.subject == "Willkommen bei Server Alpha")
        #expect(content.text.hasPrefix("Hallo bob_42,\n\n"))
        #expect(content.text.contains("aktiviert"))
        #expect(content.html.contains("Hallo bob_42,"))
        #expect(!content.html.contains("monospace"))
    }

    @Test("the username is HTML-escaped in the HTML part and verbatim in the text part")
    func usernameIsEscaped() throws {
        let username = #"<b>x</b>&"'"#
        let content = try MailTemplates.render(.activationCode, username: username, code: "123456")

        #expect(content.html.contains("Hallo &lt;b&gt;x&lt;/b&gt;&amp;&#34;&#39;,"))
        #expect(!content.html.contains("<b>x</b>"))
        #expect(content.text.contains("Hallo \(username),"))
    }

    @Test("a < followed by a combining mark is still escaped")
    func combiningMarkDoesNotHideMarkup() throws {
        let content = try MailTemplates.render(.welcome, username: "<\u{0338}script>", code: "")
        #expect(!content.html.contains("<\u{0338}"))
        #expect(content.html.contains("&lt;\u{0338}script&gt;"))
    }

    @Test("the HTML part is a complete German UTF-8 document")
    func htmlDocument() throws {
        let html = try MailTemplates.render(.passwordResetCode, username: "alice", code: "123456").html
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"de\">"))
        #expect(html.contains(#"<meta charset="utf-8">"#))
        #expect(html.contains("<title>Dein Code zum Zurücksetzen des Passworts</title>"))
        #expect(html.hasSuffix("</html>\n"))
    }

    @Test("a code mail without a valid 6-digit code cannot be rendered", arguments: ["", "12345", "1234567", "12a456"])
    func invalidCode(code: String) {
        #expect(throws: MailTemplateError.invalidCode(.activationCode)) {
            try MailTemplates.render(.activationCode, username: "alice", code: code)
        }
    }
}
