/// Makes the 6-digit activation and password-reset codes (CONTRACT §5.1, D55).
///
/// Uniform over 100000…999999, drawn from `SystemRandomNumberGenerator`, the platform's CSPRNG
/// (`getrandom` on Linux, `arc4random` on Apple platforms).
public struct CodeGenerator: Sendable {
    /// The range codes are drawn from: always six digits, never a leading zero.
    public static let range = 100_000...999_999

    public init() {}

    /// A fresh code, e.g. `"483920"`.
    public func newCode() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(Int.random(in: Self.range, using: &generator))
    }
}
