/// Hashtags of post content (CONTRACT §6.3–6.4 with the D08 and D26 fixes).
///
/// Tags are taken from the *entity-decoded* content, so the escaped `'`/`"` (`&#39;`/`&#34;`) are not
/// tags; each is lower-cased and kept with its `#`, each tag once per post, and a tag longer than
/// ``maxLength`` characters after `#` is skipped (it cannot be stored) instead of failing the post.
///
/// ```swift
/// Hashtags.extract(from: "Hi #Mannheim &amp; #mannheim, I&#39;m here #ab-cd")  // ["#mannheim", "#ab"]
/// Hashtags.query("Arda")                                                        // "#arda"
/// ```
public enum Hashtags {
    /// The longest tag, in characters after `#`.
    public static let maxLength = 31

    /// The distinct tags of `escapedContent` (normalised post content), in order of first appearance.
    public static func extract(from escapedContent: String) -> [String] {
        let text = Array(decodedEntities(escapedContent).utf8)
        var tags: [String] = []
        var seen = Set<String>()
        var index = 0
        while index < text.count {
            guard text[index] == UInt8(ascii: "#") else {
                index += 1
                continue
            }
            var end = index + 1
            while end < text.count, isWordByte(text[end]) { end += 1 }
            let length = end - index - 1
            if length >= 1, length <= maxLength {
                let tag = "#" + String(decoding: text[(index + 1)..<end], as: UTF8.self).lowercased()
                if seen.insert(tag).inserted { tags.append(tag) }
            }
            index = max(end, index + 1)
        }
        return tags
    }

    /// E19's `q` as a stored tag: `#` prepended when missing, lower-cased (D26). `nil` when it cannot
    /// name any stored tag (empty handled by the caller; wrong characters or too long → nothing matches).
    public static func query(_ raw: String) -> String? {
        let body = raw.hasPrefix("#") ? String(raw.dropFirst()) : raw
        let bytes = Array(body.utf8)
        guard (1...maxLength).contains(bytes.count), bytes.allSatisfy(isWordByte) else { return nil }
        return "#" + body.lowercased()
    }

    /// ASCII word characters `A–Z a–z 0–9 _`.
    private static func isWordByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
    }

    /// Undoes ``InputNormalizer/htmlEscaped(_:)`` in one left-to-right pass.
    static func decodedEntities(_ escaped: String) -> String {
        guard escaped.contains("&") else { return escaped }
        let entities: [(String, String)] = [
            ("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&#34;", "\""), ("&#39;", "'"),
        ]
        var result = ""
        var rest = Substring(escaped)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            rest = rest[ampersand...]
            if let (entity, character) = entities.first(where: { rest.hasPrefix($0.0) }) {
                result += character
                rest = rest.dropFirst(entity.count)
            } else {
                result += "&"
                rest = rest.dropFirst()
            }
        }
        return result + rest
    }
}
