import Foundation

/// A single-pass validator for RFC 8259 JSON texts, stricter than Foundation's `JSONDecoder`.
///
/// Refused: anything outside the RFC 8259 grammar (trailing commas, comments, single quotes, unquoted
/// keys, `NaN`/`Infinity`, leading zeros or `+` in numbers, control characters in strings, bad escapes,
/// text after the value), bytes that are not UTF-8, escapes that decode to a lone surrogate, duplicate
/// keys in one object (compared after unescaping, so `"a"` and `"\u0061"` collide), and nesting deeper
/// than ``maximumDepth``.
///
/// It reads every byte once and allocates only for the key sets of objects, so it is linear in the
/// input; ``decodeBody(_:as:)`` runs it before decoding.
///
/// ```swift
/// try StrictJSON.validate(Data(#"{"a":1}"#.utf8))      // fine
/// try StrictJSON.validate(Data(#"{"a":1,}"#.utf8))     // throws BadRequest
/// ```
public enum StrictJSON {
    /// The deepest nesting of arrays and objects accepted.
    public static let maximumDepth = 64

    /// Throws ``BadRequest`` unless `data` is exactly one strict JSON value (whitespace around it allowed).
    public static func validate(_ data: Data) throws(BadRequest) {
        let failure: String? = data.withUnsafeBytes { raw in
            var parser = Parser(bytes: raw.bindMemory(to: UInt8.self))
            return parser.run()
        }
        if let failure { throw BadRequest("invalid JSON: \(failure)") }
    }

    private struct Failure: Error {
        let reason: String
        let offset: Int
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var depth = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func run() -> String? {
            do throws(Failure) {
                skipWhitespace()
                try value()
                skipWhitespace()
                guard index == bytes.count else { throw fail("text after the value") }
                return nil
            } catch {
                return "\(error.reason) at byte \(error.offset)"
            }
        }

        func fail(_ reason: String) -> Failure { Failure(reason: reason, offset: index) }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
            guard current == byte else { throw fail("expected \(what)") }
            index += 1
        }

        mutating func value() throws(Failure) {
            guard let byte = current else { throw fail("unexpected end") }
            switch byte {
            case UInt8(ascii: "{"): try object()
            case UInt8(ascii: "["): try array()
            case UInt8(ascii: "\""): _ = try string(collectingKey: false)
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default: throw fail("unexpected character")
            }
        }

        mutating func literal(_ word: StaticString) throws(Failure) {
            let count = word.utf8CodeUnitCount
            guard bytes.count - index >= count else { throw fail("bad literal") }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
                throw fail("bad literal")
            }
            index += count
        }

        mutating func enter() throws(Failure) {
            depth += 1
            guard depth <= StrictJSON.maximumDepth else { throw fail("nested too deeply") }
        }

        mutating func object() throws(Failure) {
            try enter()
            index += 1  // {
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return
            }
            var keys = Set<[UInt8]>()
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw fail("expected a key") }
                let keyStart = index
                let key = try string(collectingKey: true) ?? []
                guard keys.insert(key).inserted else {
                    index = keyStart
                    throw fail("duplicate key")
                }
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "':'")
                skipWhitespace()
                try value()
                skipWhitespace()
                guard let next = current else { throw fail("unexpected end") }
                index += 1
                if next == UInt8(ascii: "}") { break }
                guard next == UInt8(ascii: ",") else {
                    index -= 1
                    throw fail("expected ',' or '}'")
                }
            }
            depth -= 1
        }

        mutating func array() throws(Failure) {
            try enter()
            index += 1  // [
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return
            }
            while true {
                skipWhitespace()
                try value()
                skipWhitespace()
                guard let next = current else { throw fail("unexpected end") }
                index += 1
                if next == UInt8(ascii: "]") { break }
                guard next == UInt8(ascii: ",") else {
                    index -= 1
                    throw fail("expected ',' or ']'")
                }
            }
            depth -= 1
        }

        /// Validates a string; when `collectingKey`, returns its decoded UTF-8 bytes (for duplicate checks).
        mutating func string(collectingKey: Bool) throws(Failure) -> [UInt8]? {
            index += 1  // opening quote
            let start = index
            var decoded: [UInt8]? = nil  // only built once an escape appears in a key
            while true {
                guard index < bytes.count else { throw fail("unterminated string") }
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    let end = index
                    index += 1
                    guard collectingKey else { return nil }
                    return decoded ?? Array(bytes[start..<end])
                case UInt8(ascii: "\\"):
                    if collectingKey, decoded == nil { decoded = Array(bytes[start..<index]) }
                    index += 1
                    try escape(into: &decoded)
                case 0x00...0x1F:
                    throw fail("control character in string")
                case 0x80...:
                    let scalarStart = index
                    try utf8Sequence()
                    decoded?.append(contentsOf: bytes[scalarStart..<index])
                default:
                    decoded?.append(byte)
                    index += 1
                }
            }
        }

        mutating func escape(into decoded: inout [UInt8]?) throws(Failure) {
            guard let byte = current else { throw fail("unterminated escape") }
            index += 1
            let simple: UInt8? =
                switch byte {
                case UInt8(ascii: "\""): 0x22
                case UInt8(ascii: "\\"): 0x5C
                case UInt8(ascii: "/"): 0x2F
                case UInt8(ascii: "b"): 0x08
                case UInt8(ascii: "f"): 0x0C
                case UInt8(ascii: "n"): 0x0A
                case UInt8(ascii: "r"): 0x0D
                case UInt8(ascii: "t"): 0x09
                default: nil
                }
            if let simple {
                decoded?.append(simple)
                return
            }
            guard byte == UInt8(ascii: "u") else { throw fail("bad escape") }
            var scalar = try hex4()
            if (0xD800...0xDBFF).contains(scalar) {
                guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u")
                else { throw fail("lone surrogate") }
                index += 2
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw fail("lone surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw fail("lone surrogate")
            }
            if decoded != nil, let unicode = Unicode.Scalar(scalar) {
                decoded!.append(contentsOf: UTF8.encode(unicode)!)
            }
        }

        mutating func hex4() throws(Failure) -> UInt32 {
            guard bytes.count - index >= 4 else { throw fail("bad \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw fail("bad \\u escape")
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        /// One multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
        mutating func utf8Sequence() throws(Failure) {
            let lead = bytes[index]
            let count: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: count = 1
            case 0xE0:
                count = 2
                lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: count = 2
            case 0xED:
                count = 2
                upper = 0x9F
            case 0xF0:
                count = 3
                lower = 0x90
            case 0xF1...0xF3: count = 3
            case 0xF4:
                count = 3
                upper = 0x8F
            default: throw fail("not UTF-8")
            }
            guard bytes.count - index > count else { throw fail("not UTF-8") }
            for offset in 1...count {
                let byte = bytes[index + offset]
                let range = offset == 1 ? lower...upper : 0x80...0xBF
                guard range.contains(byte) else { throw fail("not UTF-8") }
            }
            index += count + 1
        }

        mutating func number() throws(Failure) {
            if current == UInt8(ascii: "-") { index += 1 }
            guard let first = current, isDigit(first) else { throw fail("bad number") }
            index += 1
            if first != UInt8(ascii: "0") {
                skipDigits()
            } else if let next = current, isDigit(next) {
                throw fail("leading zero")
            }
            if current == UInt8(ascii: ".") {
                index += 1
                guard let digit = current, isDigit(digit) else { throw fail("bad fraction") }
                skipDigits()
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard let digit = current, isDigit(digit) else { throw fail("bad exponent") }
                skipDigits()
            }
        }

        mutating func skipDigits() {
            while let byte = current, isDigit(byte) { index += 1 }
        }

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    }
}
