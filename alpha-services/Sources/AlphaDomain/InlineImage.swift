import Foundation

/// A picture as uploaded inline in JSON (CONTRACT §8): base64 with the standard alphabet and padding,
/// optionally behind a `data:image/…;base64,` prefix. The declared type in the prefix is ignored; the
/// image service detects the format from the bytes.
///
/// "Decoded size" is the size of the file after base64 decoding (the bytes that get stored), at most
/// ``maxBytes`` (7 MiB); it says nothing about the decoded pixels, which the image service bounds
/// separately.
public enum InlineImage {
    /// 7 MiB, the contract's limit on the decoded file.
    public static let maxBytes = 7 * 1024 * 1024

    /// The file's bytes; throws ``BadRequest`` for anything that is not strict, padded, standard
    /// base64 of at most ``maxBytes`` bytes (checked on the length before decoding anything).
    public static func decode(_ text: String) throws(BadRequest) -> Data {
        var payload = Substring(text)
        if payload.hasPrefix("data:") {
            guard let comma = payload.firstIndex(of: ","),
                payload[..<comma].lowercased().hasPrefix("data:image/"),
                payload[..<comma].hasSuffix(";base64")
            else { throw BadRequest("picture: malformed data URL") }
            payload = payload[payload.index(after: comma)...]
        }
        let length = payload.utf8.count
        guard length > 0, length % 4 == 0 else { throw BadRequest("picture: base64 length not a multiple of 4") }
        guard length / 4 * 3 - 2 <= maxBytes else { throw BadRequest("picture: larger than 7 MiB") }
        // Foundation accepts only the standard alphabet with correct padding (no whitespace, no URL alphabet).
        guard let data = Data(base64Encoded: String(payload)), !data.isEmpty else {
            throw BadRequest("picture: not base64")
        }
        guard data.count <= maxBytes else { throw BadRequest("picture: larger than 7 MiB") }
        return data
    }
}
