import AlphaDomain

/// A mail's subject with its plain-text and HTML parts.
public struct MailContent: Sendable, Hashable {
    public var subject: String
    public var text: String
    public var html: String

    public init(subject: String, text: String, html: String) {
        self.subject = subject
        self.text = text
        self.html = html
    }
}

/// A mail that cannot be rendered; delivering it would be pointless, so it fails permanently.
public enum MailTemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A code mail without a valid 6-digit code.
    case invalidCode(MailKind)

    public var description: String {
        switch self {
        case .invalidCode(let kind): "a \(kind.rawValue) mail needs a 6-digit code"
        }
    }
}

/// The texts of Alpha's mails, in German (the language of Server Alpha's users and legal notice).
///
/// Each mail greets the user by username. Mails with a code show it on a line of its own in the
/// plain-text part and large, in a monospace font, in the HTML part. The HTML part is built from the
/// same paragraphs as the text part, with every interpolated value HTML-escaped.
///
/// ```swift
/// let content = try MailTemplates.render(.activationCode, username: "alice", code: "123456")
/// content.subject // "Dein Aktivierungscode für Server Alpha"
/// ```
public enum MailTemplates {
    /// The product name used in subjects and texts.
    public static let productName = "Server Alpha"

    /// Renders the mail of `kind` for `username`; `code` is required (6 digits) for code mails and ignored
    /// for the welcome mail.
    public static func render(_ kind: MailKind, username: String, code: String) throws(MailTemplateError)
        -> MailContent
    {
        if kind.carriesCode, !ValidationRules.isValidCode(code) {
            throw .invalidCode(kind)
        }
        let letter = letter(kind, username: username, code: code)
        return MailContent(subject: letter.subject, text: letter.plainText, html: letter.html)
    }

    private static func letter(_ kind: MailKind, username: String, code: String) -> Letter {
        switch kind {
        case .activationCode:
            Letter(
                subject: "Dein Aktivierungscode für \(productName)",
                preheader: "Dein Aktivierungscode: \(code)",
                blocks: [
                    .paragraph("Hallo \(username),"),
                    .paragraph("gib diesen Code in der App ein, um dein Konto bei \(productName) zu aktivieren:"),
                    .code(code),
                    .paragraph("Der Code ist 24 Stunden gültig. Ein neuer Code ersetzt alle vorherigen."),
                    .paragraph(
                        "Falls du dich nicht bei \(productName) registriert hast, kannst du diese E-Mail ignorieren."
                    ),
                    .paragraph(signature),
                ]
            )
        case .passwordResetCode:
            Letter(
                subject: "Dein Code zum Zurücksetzen des Passworts",
                preheader: "Dein Code zum Zurücksetzen: \(code)",
                blocks: [
                    .paragraph("Hallo \(username),"),
                    .paragraph(
                        "jemand – hoffentlich du – möchte das Passwort deines Kontos bei \(productName) zurücksetzen. "
                            + "Gib diesen Code in der App ein, um ein neues Passwort festzulegen:"
                    ),
                    .code(code),
                    .paragraph("Der Code ist 24 Stunden gültig."),
                    .paragraph("Falls du das nicht warst, ignoriere diese E-Mail: Dein Passwort bleibt unverändert."),
                    .paragraph(signature),
                ]
            )
        case .welcome:
            Letter(
                subject: "Willkommen bei \(productName)",
                preheader: "Dein Konto ist aktiviert.",
                blocks: [
                    .paragraph("Hallo \(username),"),
                    .paragraph("dein Konto ist aktiviert – willkommen bei \(productName)!"),
                    .paragraph(
                        "Du kannst dich jetzt in der App anmelden, Beiträge teilen und den Menschen folgen, "
                            + "die dich interessieren."
                    ),
                    .paragraph(signature),
                ]
            )
        }
    }

    private static let signature = "Viele Grüße\nDein Server-Alpha-Team"
    private static let footer = "Diese E-Mail wurde automatisch von \(productName) versendet."
}

extension MailTemplates {
    /// One mail as a list of blocks, rendered to both parts so they always say the same thing.
    fileprivate struct Letter {
        enum Block {
            /// Plain text; `\n` is a line break.
            case paragraph(String)
            /// A one-time code, shown prominently.
            case code(String)
        }

        var subject: String
        /// The line mail clients show next to the subject in the inbox (HTML part only).
        var preheader: String
        var blocks: [Block]

        var plainText: String {
            let body = blocks.map { block in
                switch block {
                case .paragraph(let text): text
                case .code(let code): "    \(code)"
                }
            }
            // "-- " on a line of its own is the conventional signature separator.
            return body.joined(separator: "\n\n") + "\n\n-- \n" + footer + "\n"
        }

        var html: String {
            let body = blocks.map { block in
                switch block {
                case .paragraph(let text):
                    #"<p style="margin:0 0 16px 0;">"#
                        + InputNormalizer.htmlEscaped(text).replacingOccurrences(of: "\n", with: "<br>") + "</p>"
                case .code(let code):
                    #"<p style="margin:24px 0;text-align:center;"><span style="display:inline-block;"#
                        + #"padding:12px 24px;border-radius:8px;background-color:#f1f3f5;color:#111827;"#
                        + #"font-family:'SFMono-Regular',Menlo,Consolas,'Liberation Mono','Courier New',monospace;"#
                        + #"font-size:32px;font-weight:700;letter-spacing:6px;">"#
                        + InputNormalizer.htmlEscaped(code) + "</span></p>"
                }
            }
            return """
                <!DOCTYPE html>
                <html lang="de">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>\(InputNormalizer.htmlEscaped(subject))</title>
                </head>
                <body style="margin:0;padding:0;background-color:#f4f5f7;">
                <div style="display:none;max-height:0;overflow:hidden;">\(InputNormalizer.htmlEscaped(preheader))</div>
                <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background-color:#f4f5f7;">
                <tr><td align="center" style="padding:24px 12px;">
                <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background-color:#ffffff;border-radius:8px;">
                <tr><td style="padding:32px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1f2933;">
                \(body.joined(separator: "\n"))
                </td></tr>
                </table>
                <p style="margin:16px 0 0 0;font-family:Helvetica,Arial,sans-serif;font-size:12px;color:#6b7280;">\(InputNormalizer.htmlEscaped(footer))</p>
                </td></tr>
                </table>
                </body>
                </html>

                """
        }
    }
}
