/// R-LOCATION with the D22 fix: `latitude` and `longitude` are required inside a `location` object and
/// may be zero; `latitude` ∈ [-90, 90], `longitude` ∈ [-180, 180]; `accuracy` optional (default 0), ≥ 0.
/// Values are kept as 32-bit floats, the precision the contract serialises (§1.2).
public struct GeoLocation: Sendable, Equatable, Hashable {
    public var latitude: Float
    public var longitude: Float
    public var accuracy: Int32

    /// A validated location, or `nil` when a value is out of range.
    public init?(latitude: Double, longitude: Double, accuracy: Int?) {
        guard (-90...90).contains(latitude), (-180...180).contains(longitude) else { return nil }
        let accuracy = accuracy ?? 0
        guard accuracy >= 0, accuracy <= Int(Int32.max) else { return nil }
        self.latitude = Float(latitude)
        self.longitude = Float(longitude)
        self.accuracy = Int32(accuracy)
    }
}

extension GeoLocation {
    /// A location read back from storage (validated when it was stored).
    public init(stored latitude: Float, _ longitude: Float, _ accuracy: Int32) {
        self.latitude = latitude
        self.longitude = longitude
        self.accuracy = accuracy
    }
}
