import Foundation

/// Base64url without padding (RFC 4648 §5), the encoding of Web Push keys, VAPID keys and JWS parts.
enum Base64URL {
    /// `bytes` as unpadded base64url.
    static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The bytes of base64url text, padded or not (standard base64's `+` and `/` are accepted too, as
    /// browsers' `PushSubscription.toJSON()` and some clients differ); `nil` when it is not base64.
    static func decode(_ text: String) -> Data? {
        var standard = text.trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        while standard.hasSuffix("=") { standard.removeLast() }
        guard standard.count % 4 != 1 else { return nil }
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard)
    }
}
