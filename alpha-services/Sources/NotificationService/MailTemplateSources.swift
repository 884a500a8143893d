/// The mustache sources of Alpha's mails: every word of every mail is in this file.
///
/// - ``letter(_:)``: one template per ``MailKind`` with its wording, written once. It fills the blocks
///   `subject`, `preheader` (the line inboxes show beside the subject; HTML part only) and `body` of the
///   layout `letter`. In the body, `{{>p}}…{{>end}}` is a paragraph, `{{>br}}` a line break inside one,
///   `{{>code}}` the one-time code and `{{>signature}}` the greeting at the end.
/// - ``subject``, ``text``, ``html``: the three formats. Each has its own `letter` layout and its own
///   `p`, `end`, `br` and `code`, so one letter renders to the subject line, the plain-text part and the
///   HTML part, which therefore always say the same thing.
///
/// Values: `{{username}}`, `{{code}}`, `{{product}}`. The HTML format escapes them (`ALPHA_HTML`, see
/// ``MailHTMLContentType``); the subject and the text part take them verbatim (`TEXT`). A tag alone on its
/// line (a section, block, comment or partial) takes that line's break with it, as mustache specifies.
enum MailTemplateSources {
    /// The wording of the mail of `kind`.
    static func letter(_ kind: MailKind) -> String {
        switch kind {
        case .activationCode:
            """
            {{! After registration, a resend, or an expired code (E02, E03, E04). }}
            {{<letter}}
            {{$subject}}Dein Aktivierungscode für {{product}}{{/subject}}
            {{$preheader}}Dein Aktivierungscode: {{code}}{{/preheader}}
            {{$body}}
            {{>p}}Hallo {{username}},{{>end}}
            {{>p}}gib diesen Code in der App ein, um dein Konto bei {{product}} zu aktivieren:{{>end}}
            {{>code}}
            {{>p}}Der Code ist 24 Stunden gültig. Ein neuer Code ersetzt alle vorherigen.{{>end}}
            {{>p}}Falls du dich nicht bei {{product}} registriert hast, kannst du diese E-Mail ignorieren.{{>end}}
            {{>signature}}
            {{/body}}
            {{/letter}}
            """
        case .passwordResetCode:
            """
            {{! The code to set a new password (E07). }}
            {{<letter}}
            {{$subject}}Dein Code zum Zurücksetzen des Passworts{{/subject}}
            {{$preheader}}Dein Code zum Zurücksetzen: {{code}}{{/preheader}}
            {{$body}}
            {{>p}}Hallo {{username}},{{>end}}
            {{>p}}jemand – hoffentlich du – möchte das Passwort deines Kontos bei {{product}} zurücksetzen. \
            Gib diesen Code in der App ein, um ein neues Passwort festzulegen:{{>end}}
            {{>code}}
            {{>p}}Der Code ist 24 Stunden gültig.{{>end}}
            {{>p}}Falls du das nicht warst, ignoriere diese E-Mail: Dein Passwort bleibt unverändert.{{>end}}
            {{>signature}}
            {{/body}}
            {{/letter}}
            """
        case .welcome:
            """
            {{! The confirmation after a successful activation (E03). }}
            {{<letter}}
            {{$subject}}Willkommen bei {{product}}{{/subject}}
            {{$preheader}}Dein Konto ist aktiviert.{{/preheader}}
            {{$body}}
            {{>p}}Hallo {{username}},{{>end}}
            {{>p}}dein Konto ist aktiviert – willkommen bei {{product}}!{{>end}}
            {{>p}}Du kannst dich jetzt in der App anmelden, Beiträge teilen und den Menschen folgen, \
            die dich interessieren.{{>end}}
            {{>signature}}
            {{/body}}
            {{/letter}}
            """
        }
    }

    /// Partials every format shares.
    static let shared: [String: String] = [
        "signature": "{{>p}}Viele Grüße{{>br}}Dein Server-Alpha-Team{{>end}}\n",
        "footer": "Diese E-Mail wurde automatisch von {{product}} versendet.",
    ]

    /// The subject line: the letter's `subject` block, verbatim.
    static let subject: [String: String] = [
        "letter": "{{% CONTENT_TYPE: TEXT }}{{$subject}}{{/subject}}"
    ]

    /// The plain-text part: paragraphs separated by a blank line, the code indented on a line of its own,
    /// and the footer after the conventional signature separator `-- `.
    static let text: [String: String] = [
        "letter": """
        {{% CONTENT_TYPE: TEXT }}
        {{$body}}
        {{/body}}
        -- {{! a dash, a dash, a space: the signature separator }}
        {{>footer}}{{! not alone on its line, so the line break stays }}

        """,
        "p": "",
        "end": "\n",
        "br": "\n",
        "code": "    {{code}}\n\n",
    ]

    /// The HTML part: a complete UTF-8 document with inline styles (mail clients ignore style sheets), the
    /// code large and in a monospace font.
    static let html: [String: String] = [
        "letter": """
        {{% CONTENT_TYPE: \(MailHTMLContentType.name) }}
        <!DOCTYPE html>
        <html lang="de">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{$subject}}{{/subject}}</title>
        </head>
        <body style="margin:0;padding:0;background-color:#f4f5f7;">
        <div style="display:none;max-height:0;overflow:hidden;">{{$preheader}}{{/preheader}}</div>
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background-color:#f4f5f7;">
        <tr><td align="center" style="padding:24px 12px;">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" \
        style="max-width:560px;background-color:#ffffff;border-radius:8px;">
        <tr><td style="padding:32px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;\
        font-size:16px;line-height:1.5;color:#1f2933;">
        {{$body}}
        {{/body}}
        </td></tr>
        </table>
        <p style="margin:16px 0 0 0;font-family:Helvetica,Arial,sans-serif;font-size:12px;color:#6b7280;">\
        {{>footer}}</p>
        </td></tr>
        </table>
        </body>
        </html>

        """,
        "p": #"<p style="margin:0 0 16px 0;">"#,
        "end": "</p>",
        "br": "<br>",
        "code": """
        <p style="margin:24px 0;text-align:center;"><span style="display:inline-block;padding:12px 24px;\
        border-radius:8px;background-color:#f1f3f5;color:#111827;\
        font-family:'SFMono-Regular',Menlo,Consolas,'Liberation Mono','Courier New',monospace;\
        font-size:32px;font-weight:700;letter-spacing:6px;">{{code}}</span></p>

        """,
    ]
}
