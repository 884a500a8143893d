import AlphaDomain
import Mustache

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

/// Renders Alpha's mails from the mustache templates in ``MailTemplateSources`` (German, the language of
/// Server Alpha's users and legal notice).
///
/// Each mail's wording is written once, in its letter template; three libraries render it — the subject,
/// the plain-text part and the HTML part — each with its own layout and formatting partials. In the HTML
/// part every `{{value}}` is HTML-escaped (``MailHTMLContentType``); the subject and text part are verbatim.
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
        let values = ["username": username, "code": code, "product": productName]
        return MailContent(
            subject: libraries.subject.render(values, withTemplate: kind.rawValue) ?? "",
            text: libraries.text.render(values, withTemplate: kind.rawValue) ?? "",
            html: libraries.html.render(values, withTemplate: kind.rawValue) ?? ""
        )
    }

    /// The three libraries, parsed once. The sources are constants: a parse error is a bug, caught by the tests.
    private static let libraries: (subject: MustacheLibrary, text: MustacheLibrary, html: MustacheLibrary) = {
        MailHTMLContentType.register()
        return (
            library(MailTemplateSources.subject), library(MailTemplateSources.text), library(MailTemplateSources.html)
        )
    }()

    /// The letters of every kind with one format's layout (`letter`) and partials.
    private static func library(_ format: [String: String]) -> MustacheLibrary {
        var library = MustacheLibrary()
        do {
            for (name, source) in format.merging(MailTemplateSources.shared, uniquingKeysWith: { own, _ in own }) {
                try library.register(source, named: name)
            }
            for kind in MailKind.allCases {
                try library.register(MailTemplateSources.letter(kind), named: kind.rawValue)
            }
        } catch {
            fatalError("a mail template does not parse: \(error)")
        }
        return library
    }
}
