/// An optional member of a response body that is always present in the JSON: `null` when there is no
/// value (a synthesized `Encodable` would leave the key out). The contract's objects mix both kinds:
/// `subscriptionId`/`repost`/the author's `picture` are always present, a post's `picture` is omitted.
@propertyWrapper
struct NullWhenAbsent<Value: Encodable>: Encodable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue {
            try container.encode(wrappedValue)
        } else {
            try container.encodeNil()
        }
    }
}
