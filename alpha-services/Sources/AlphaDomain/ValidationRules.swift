import Foundation

/// The validation rules of CONTRACT §1.4 with the DECISIONS D09 limits.
///
/// Every function takes the value *after* normalisation (``InputNormalizer``) and returns
/// whether it is valid; a `false` answers `400 ERR-001` (use ``BadRequest/check(_:_:)``).
/// "Characters" are Unicode scalars (code points). Optional fields: the caller decides whether
/// an absent value is allowed (e.g. nickname absent = `""`, which is valid).
public enum ValidationRules {
    /// R-USERNAME: 1…20 characters.
    public static let usernameMaxLength = 20
    /// R-PASSWORD: at least 8 characters.
    public static let passwordMinLength = 8
    /// R-PASSWORD: at most 72 UTF-8 bytes (bcrypt input limit, D09).
    public static let passwordMaxBytes = 72
    /// R-EMAIL: at most 128 characters (D09).
    public static let emailMaxLength = 128
    /// R-NICKNAME: at most 25 characters of the escaped text (D09).
    public static let nicknameMaxLength = 25
    /// R-STATUS: at most 256 characters of the escaped text.
    public static let statusMaxLength = 256
    /// R-POST: `content` at most 256 characters of the escaped text.
    public static let postContentMaxLength = 256
    /// R-COMMENT: 1…128 characters of the escaped text (D09).
    public static let commentMaxLength = 128
    /// R-CODE: exactly 6 digits.
    public static let codeLength = 6

    /// R-USERNAME: 1…20 characters, only `A–Z a–z 0–9 . - _`. Case-sensitive.
    public static func isValidUsername(_ value: String) -> Bool {
        let bytes = value.utf8
        return (1...usernameMaxLength).contains(bytes.count)
            && bytes.allSatisfy { byte in
                isASCIILetter(byte) || isASCIIDigit(byte) || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            }
    }

    /// R-PASSWORD: ≥ 8 characters, ≤ 72 UTF-8 bytes, ASCII only, with at least one uppercase
    /// letter, one lowercase letter, one digit and one ASCII punctuation/symbol
    /// (``!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~``). Space is allowed but counts for no class; control
    /// characters (U+0000–U+001F, U+007F) are not allowed (bcrypt would cut the password at a NUL).
    public static func isValidPassword(_ value: String) -> Bool {
        let bytes = value.utf8
        guard (passwordMinLength...passwordMaxBytes).contains(bytes.count) else { return false }
        var upper = false, lower = false, digit = false, symbol = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): upper = true
            case UInt8(ascii: "a")...UInt8(ascii: "z"): lower = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = true
            case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: symbol = true
            case 0x80...: return false  // non-ASCII
            case 0x00...0x1F, 0x7F: return false  // control characters
            default: break  // space counts for nothing
            }
        }
        return upper && lower && digit && symbol
    }

    /// R-EMAIL: ≤ 128 characters and a syntactic `local@domain` address.
    ///
    /// - Local part: 1…64 characters, dot-atom (atoms of RFC 5322 `atext`
    ///   ``A–Z a–z 0–9 !#$%&'*+/=?^_`{|}~-`` or non-ASCII letters/digits, separated by single
    ///   dots, no leading/trailing dot). Quoted local parts are not accepted.
    /// - Domain: ≥ 2 labels of 1…63 characters (letters, digits, hyphen; non-ASCII letters
    ///   allowed; no leading/trailing hyphen); the last label is not all digits. No IP literals.
    public static func isValidEmail(_ value: String) -> Bool {
        let scalars = Array(value.unicodeScalars)
        guard scalars.count <= emailMaxLength, let at = scalars.lastIndex(of: "@") else { return false }
        return isValidLocalPart(scalars[..<at]) && isValidDomain(scalars[(at + 1)...])
    }

    /// R-NICKNAME: at most 25 characters of the escaped text (`'` → `&#39;` counts 5).
    /// Absent = `""`, which is valid.
    public static func isValidNickname(_ escaped: String) -> Bool {
        escaped.unicodeScalars.count <= nicknameMaxLength && isStorable(escaped)
    }

    /// R-STATUS: at most 256 characters of the escaped text. Absent = `""`, which is valid.
    public static func isValidStatus(_ escaped: String) -> Bool {
        escaped.unicodeScalars.count <= statusMaxLength && isStorable(escaped)
    }

    /// Free text must not contain U+0000, which PostgreSQL text cannot store.
    public static func isStorable(_ text: String) -> Bool {
        !text.unicodeScalars.contains("\u{0}")
    }

    /// R-POST length part: at most 256 characters of the escaped text. Whether empty content is
    /// allowed depends on `picture`/`repostedPostId` (D25) and is the caller's decision.
    public static func isValidPostContentLength(_ escaped: String) -> Bool {
        escaped.unicodeScalars.count <= postContentMaxLength
    }

    /// R-COMMENT: 1…128 characters of the escaped text (D09).
    public static func isValidComment(_ escaped: String) -> Bool {
        (1...commentMaxLength).contains(escaped.unicodeScalars.count)
    }

    /// R-CODE: exactly 6 ASCII digits (activation and reset `token`).
    public static func isValidCode(_ value: String) -> Bool {
        value.utf8.count == codeLength && value.utf8.allSatisfy(isASCIIDigit)
    }

    /// R-PATH-UUID: the canonical 8-4-4-4-12 hex form, any version, case-insensitive.
    /// Returns the parsed UUID (use `uuidString.lowercased()` for storage), or `nil` → 404.
    public static func pathUUID(_ value: String) -> UUID? {
        guard isCanonicalUUID(value, lowercaseOnly: false) else { return nil }
        return UUID(uuidString: value)
    }

    /// R-PATH-UUID as a Bool: see ``pathUUID(_:)``.
    public static func isValidPathUUID(_ value: String) -> Bool {
        pathUUID(value) != nil
    }

    /// R-UUID4: a lowercase canonical version-4 UUID
    /// (`xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`). `""` is not valid; callers treat an empty
    /// optional field as absent (D25) before asking.
    public static func isValidUUID4(_ value: String) -> Bool {
        guard isCanonicalUUID(value, lowercaseOnly: true) else { return false }
        let bytes = Array(value.utf8)
        return bytes[14] == UInt8(ascii: "4")
            && [
                UInt8(ascii: "8"), UInt8(ascii: "9"),
                UInt8(ascii: "a"), UInt8(ascii: "b"),
            ].contains(bytes[19])
    }

    // MARK: - Helpers

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }

    private static func isASCIIDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isCanonicalUUID(_ value: String, lowercaseOnly: Bool) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                let isHex =
                    isASCIIDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                    || (!lowercaseOnly && (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte))
                guard isHex else { return false }
            }
        }
        return true
    }

    /// Non-ASCII characters allowed in e-mail addresses: letters, marks and digits (RFC 6531 style).
    private static func isInternationalWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        guard !scalar.isASCII else { return false }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    private static let atextSymbols = Set("!#$%&'*+/=?^_`{|}~-".unicodeScalars)

    private static func isValidLocalPart(_ local: ArraySlice<Unicode.Scalar>) -> Bool {
        guard (1...64).contains(local.count) else { return false }
        let atoms = local.split(separator: ".", omittingEmptySubsequences: false)
        return atoms.allSatisfy { atom in
            !atom.isEmpty
                && atom.allSatisfy { scalar in
                    (scalar.isASCII && (isASCIILetter(UInt8(scalar.value)) || isASCIIDigit(UInt8(scalar.value))))
                        || atextSymbols.contains(scalar) || isInternationalWordCharacter(scalar)
                }
        }
    }

    private static func isValidDomain(_ domain: ArraySlice<Unicode.Scalar>) -> Bool {
        guard (1...253).contains(domain.count) else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let tld = labels.last else { return false }
        let labelsValid = labels.allSatisfy { label in
            (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { scalar in
                    (scalar.isASCII && (isASCIILetter(UInt8(scalar.value)) || isASCIIDigit(UInt8(scalar.value))))
                        || scalar == "-" || isInternationalWordCharacter(scalar)
                }
        }
        return labelsValid && !tld.allSatisfy { $0.isASCII && isASCIIDigit(UInt8($0.value)) }
    }
}
