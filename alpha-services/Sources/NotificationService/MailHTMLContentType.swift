import AlphaDomain
import Mustache

/// The content type of the HTML mail templates (`{{% CONTENT_TYPE: ALPHA_HTML }}`): escapes every
/// `{{value}}` with ``InputNormalizer/htmlEscaped(_:)``.
///
/// swift-mustache's own `HTML` type escapes by `Character`, so a `<` followed by a combining mark (one
/// character, `<\u{0338}`) would pass through unescaped; this one escapes by Unicode scalar.
struct MailHTMLContentType: MustacheContentType {
    /// The name the templates' `CONTENT_TYPE` pragma uses.
    static let name = "ALPHA_HTML"

    func escapeText(_ text: String) -> String {
        InputNormalizer.htmlEscaped(text)
    }

    /// Makes the type known to the template parser; call before parsing a template that names it.
    static func register() {
        MustacheContentTypes.register(MailHTMLContentType(), named: name)
    }
}
