/// An offset-style page request (CONTRACT §1.5 with D28), parsed from raw query values.
/// Invalid values never fail: they fall back to the defaults.
public struct OffsetPage: Sendable, Equatable, Hashable {
    /// Default `limit` when missing, unparseable or not > 0.
    public static let defaultLimit = 10
    /// Largest `limit`; larger values are clamped (D28).
    public static let maxLimit = 100

    /// Number of records to skip (≥ 0).
    public let offset: Int
    /// Page size (1…100).
    public let limit: Int

    /// A page with the given values, taken as they are (use ``parse(offset:limit:)`` for query input).
    public init(offset: Int, limit: Int) {
        self.offset = offset
        self.limit = limit
    }

    /// Parses the raw `offset` and `limit` query values: `offset` an integer ≥ 0, else 0;
    /// `limit` an integer > 0, else 10, and at most 100. Integers are decimal with an optional
    /// sign, no whitespace (like Go's `strconv.Atoi`).
    public static func parse(offset: String?, limit: String?) -> OffsetPage {
        let parsedOffset = offset.flatMap { Int($0) }.flatMap { $0 >= 0 ? $0 : nil } ?? 0
        let parsedLimit = limit.flatMap { Int($0) }.flatMap { $0 > 0 ? min($0, maxLimit) : nil } ?? defaultLimit
        return OffsetPage(offset: parsedOffset, limit: parsedLimit)
    }
}

/// The `pagination` object of offset-style list responses: `{"offset", "limit", "records"}`,
/// where `records` is the total number of matching items (not the page size).
public struct PaginationInfo: Encodable, Sendable, Equatable {
    /// The offset (the requested one; E20 sends requested offset + limit, D17).
    public let offset: Int
    /// The limit in effect.
    public let limit: Int
    /// Total number of matching items.
    public let records: Int

    /// Creates the object from explicit values.
    public init(offset: Int, limit: Int, records: Int) {
        self.offset = offset
        self.limit = limit
        self.records = records
    }

    /// Echoes `page` with the total count `records`.
    public init(page: OffsetPage, records: Int) {
        self.init(offset: page.offset, limit: page.limit, records: records)
    }
}
