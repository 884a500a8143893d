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

    @Test("the text part of the activation mail is exactly the letter, the code on its own line and the footer")
    func activationTextExactly() throws {
        let text = try MailTemplates.render(.activationCode, username: "alice", code: "048213").text
        #expect(
            text == """
                Hallo alice,

                gib diesen Code in der App ein, um dein Konto bei Server Alpha zu aktivieren:

                    048213

                Der Code ist 24 Stunden gültig. Ein neuer Code ersetzt alle vorherigen.

                Falls du dich nicht bei Server Alpha registriert hast, kannst du diese E-Mail ignorieren.

                Viele Grüße
                Dein Server-Alpha-Team

                \("-- ")
                Diese E-Mail wurde automatisch von Server Alpha versendet.

                """)
    }

    @Test("the HTML body has one paragraph per paragraph of the text part, line breaks as <br>")
    func welcomeBodyExactly() throws {
        let html = try MailTemplates.render(.welcome, username: "bob_42", code: "").html
        let paragraph = #"<p style="margin:0 0 16px 0;">"#
        #expect(
            html.contains(
                """
                color:#1f2933;">
                \(paragraph)Hallo bob_42,</p>
                \(paragraph)dein Konto ist aktiviert – willkommen bei Server Alpha!</p>
                \(paragraph)Du kannst dich jetzt in der App anmelden, Beiträge teilen und den Menschen folgen, \
                die dich interessieren.</p>
                \(paragraph)Viele Grüße<br>Dein Server-Alpha-Team</p>
                </td></tr>
                """))
        #expect(
            html.contains(#"<div style="display:none;max-height:0;overflow:hidden;">Dein Konto ist aktiviert.</div>"#))
    }

    @Test("the username is escaped wherever the HTML shows it, never twice; the text part keeps it verbatim")
    func escapingEverywhere() throws {
        for kind in MailKind.allCases {
            let content = try MailTemplates.render(kind, username: "a&b<c>", code: kind.carriesCode ? "123456" : "")
            #expect(content.html.contains("Hallo a&amp;b&lt;c&gt;,"))
            #expect(!content.html.contains("a&b") && !content.html.contains("&amp;amp;"))
            #expect(content.text.contains("Hallo a&b<c>,"))
            // Every tag was rendered: no mustache left over in any part.
            #expect(![content.subject, content.text, content.html].contains { $0.contains("{{") || $0.contains("}}") })
        }
    }

    @Test("a code mail without a valid 6-digit code cannot be rendered", arguments: ["", "12345", "1234567", "12a456"])
    func invalidCode(code: String) {
        #expect(throws: MailTemplateError.invalidCode(.activationCode)) {
            try MailTemplates.render(.activationCode, username: "alice", code: code)
        }
    }
}
