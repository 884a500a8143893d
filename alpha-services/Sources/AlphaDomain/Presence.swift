/// A body field whose absence, `null` and value must be told apart — e.g. E10's `picture`:
/// absent or `null` → unchanged, `""` → default avatar, otherwise a new picture.
///
/// Declare the property as `Presence<T>` in a `Decodable` request struct; the synthesized
/// `init(from:)` then yields `.absent` for a missing key, `.null` for JSON `null` and
/// `.value(…)` otherwise (a wrong JSON type still fails decoding):
///
/// ```swift
/// struct UpdateProfileRequest: Decodable {
///     let nickname: String?          // absent or null → nil
///     let status: String?
///     let picture: Presence<String>  // .absent / .null / .value("") / .value(base64)
/// }
/// ```
///
/// In a hand-written `init(from:)` use
/// `picture = try container.decode(Presence<String>.self, forKey: .picture)` — the overload on
/// `KeyedDecodingContainer` below handles the missing key.
public enum Presence<Wrapped> {
    /// The key is not in the object.
    case absent
    /// The key is present with JSON `null`.
    case null
    /// The key is present with a value.
    case value(Wrapped)

    /// The value if present and not `null`, else `nil`.
    public var value: Wrapped? {
        if case .value(let wrapped) = self { wrapped } else { nil }
    }

    /// `true` for ``absent`` and ``null`` (the field carries no value).
    public var isAbsentOrNull: Bool { value == nil }
}

extension Presence: Sendable where Wrapped: Sendable {}
extension Presence: Equatable where Wrapped: Equatable {}
extension Presence: Hashable where Wrapped: Hashable {}

extension Presence: Decodable where Wrapped: Decodable {
    /// Decodes `null` as ``null`` and anything else as ``value(_:)``. (A missing key never gets
    /// here; the `KeyedDecodingContainer` overload maps it to ``absent``.)
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = container.decodeNil() ? .null : .value(try container.decode(Wrapped.self))
    }
}

extension KeyedDecodingContainer {
    /// Decodes a ``Presence`` field: missing key → `.absent`, `null` → `.null`, else `.value`.
    /// Chosen automatically by synthesized `Decodable` conformances.
    public func decode<Wrapped: Decodable>(_ type: Presence<Wrapped>.Type, forKey key: Key) throws -> Presence<Wrapped>
    {
        guard contains(key) else { return .absent }
        if try decodeNil(forKey: key) { return .null }
        return .value(try decode(Wrapped.self, forKey: key))
    }
}
