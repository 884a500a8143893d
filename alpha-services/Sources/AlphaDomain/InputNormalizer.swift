/// Input normalisation of JSON body strings (CONTRACT §1.3 as amended by DECISIONS D34).
///
/// - Every string field is trimmed of Unicode whitespace at both ends.
/// - Free text (post `content`, comment `content`, `status`, `nickname`) is additionally
///   HTML-escaped (`&` `<` `>` `"` `'` → `&amp;` `&lt;` `&gt;` `&#34;` `&#39;`); no markup is
///   kept or removed, it is all escaped. Limits are checked on the escaped text.
/// - Passwords are never transformed (hash and compare the raw value).
/// - Query and path parameters are never normalised.
public enum InputNormalizer {
    /// What normalisation a body field receives.
    public enum Kind: Sendable, Equatable {
        /// Trimmed only: usernames, e-mails, codes, ids, tokens, pictures, push fields.
        case trimmed
        /// Trimmed, then HTML-escaped: post/comment `content`, `status`, `nickname`.
        case freeText
        /// Left exactly as received: `password`, `oldPassword`, `newPassword`.
        case verbatim
    }

    /// The normalisation for a body key (the key name alone decides; nested keys included).
    /// `content`, `status`, `nickname` → ``Kind/freeText``; `password`, `oldPassword`,
    /// `newPassword` → ``Kind/verbatim``; every other key → ``Kind/trimmed``.
    public static func kind(forKey key: String) -> Kind {
        switch key {
        case "content", "status", "nickname": .freeText
        case "password", "oldPassword", "newPassword": .verbatim
        default: .trimmed
        }
    }

    /// Applies the normalisation of `kind` to `value`.
    public static func normalized(_ value: String, as kind: Kind) -> String {
        switch kind {
        case .trimmed: trimmed(value)
        case .freeText: escapedFreeText(value)
        case .verbatim: value
        }
    }

    /// Removes Unicode whitespace (the `White_Space` property, like Go's `strings.TrimSpace`)
    /// at both ends. Works on Unicode scalars, so a combining mark after a leading space survives.
    public static func trimmed(_ value: String) -> String {
        let scalars = value.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return value }
        return String(scalars[first...last])
    }

    /// HTML-escapes `&` `<` `>` `"` `'` as `&amp;` `&lt;` `&gt;` `&#34;` `&#39;`; nothing else changes.
    public static func htmlEscaped(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 })
        else { return value }
        var result = ""
        result.unicodeScalars.reserveCapacity(value.unicodeScalars.count + 16)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&#34;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Free-text normalisation: ``trimmed(_:)`` then ``htmlEscaped(_:)``.
    public static func escapedFreeText(_ value: String) -> String {
        htmlEscaped(trimmed(value))
    }
}
