import Foundation

/// Strictly decodes a JSON request body into a `Decodable` request struct.
///
/// Fails with ``BadRequest`` (→ `400 ERR-001`) on an empty body, anything that is not strict RFC 8259
/// JSON (``StrictJSON``: trailing commas, comments, `NaN`, duplicate keys, …), a top level
/// that is not an object, a missing non-optional key, `null` for a non-optional property, or a
/// wrong JSON type (e.g. a number where a string is expected). Unknown keys are ignored.
/// Normalisation (``InputNormalizer``) and rule checks (``ValidationRules``) come afterwards.
///
/// ```swift
/// struct LoginRequest: Decodable { let username: String; let password: String }
/// let request: LoginRequest = try decodeBody(bodyData)
/// ```
public func decodeBody<T: Decodable>(_ data: Data, as type: T.Type = T.self) throws(BadRequest) -> T {
    guard let first = data.first(where: { !isJSONWhitespace($0) }) else {
        throw BadRequest("empty body")
    }
    guard first == UInt8(ascii: "{") else {
        throw BadRequest("body is not a JSON object")
    }
    // Foundation's decoder is lenient (it takes `{"a":1,}`, for one), so the text is checked first.
    try StrictJSON.validate(data)
    do {
        return try JSONDecoder().decode(T.self, from: data)
    } catch let error as DecodingError {
        throw BadRequest("invalid body: \(describe(error))")
    } catch {
        throw BadRequest("invalid body: \(error)")
    }
}

private func isJSONWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
}

private func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map(\.stringValue).joined(separator: ".")
    }
    switch error {
    case .typeMismatch(_, let context): return "wrong type at '\(path(context))'"
    case .valueNotFound(_, let context): return "null at '\(path(context))'"
    case .keyNotFound(let key, let context):
        let prefix = path(context)
        return "missing key '\(prefix.isEmpty ? key.stringValue : prefix + "." + key.stringValue)'"
    case .dataCorrupted(let context): return "malformed JSON at '\(path(context))'"
    @unknown default: return "\(error)"
    }
}
