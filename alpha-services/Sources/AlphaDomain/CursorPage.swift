/// A cursor-style page request of the post feeds (CONTRACT §1.5 with D27 and D28), parsed from the raw
/// `postId` and `limit` query values. Invalid values never fail.
///
/// ```swift
/// let page = CursorPage.parse(postId: query["postId"], limit: query["limit"])
/// switch page.cursor { case .start: …; case .offset(let n): …; case .after(let id): …; case .malformed: … }
/// ```
public struct CursorPage: Sendable, Equatable, Hashable {
    /// Where a page starts.
    public enum Cursor: Sendable, Equatable, Hashable {
        /// No cursor (absent or empty): the newest posts.
        case start
        /// An integer cursor: skip that many posts (`0` restarts at the top).
        case offset(Int)
        /// A post id: the posts strictly after it in feed order (older, or as old with a smaller id).
        case after(String)
        /// Neither integer nor UUID (or a negative integer): an empty page (D28).
        case malformed
    }

    /// Default `limit` when missing, unparseable or negative (D28).
    public static let defaultLimit = 10
    /// Largest `limit`; larger values are clamped (DECISIONS D28).
    public static let maxLimit = 100
    /// `lastPostId` of an empty page when the cursor was not an integer.
    public static let emptyPageToken = "0"

    public let cursor: Cursor
    /// Page size, 0…100 (`0` answers an empty page with the total count).
    public let limit: Int

    public init(cursor: Cursor, limit: Int) {
        self.cursor = cursor
        self.limit = limit
    }

    /// Parses the raw query values: `limit` an integer 0…100 (larger → 100; negative, missing or
    /// unparseable → 10); `postId` empty/absent → start, a decimal integer ≥ 0 → offset, a UUID (any
    /// case) → after that post (lowercased), anything else → malformed.
    public static func parse(postId: String?, limit: String?) -> CursorPage {
        CursorPage(cursor: parseCursor(postId), limit: parseLimit(limit))
    }

    /// The limit rule alone: see ``parse(postId:limit:)``.
    public static func parseLimit(_ raw: String?) -> Int {
        guard let raw, let value = Int(raw), value >= 0 else { return defaultLimit }
        return min(value, maxLimit)
    }

    /// The cursor rule alone: see ``parse(postId:limit:)``.
    public static func parseCursor(_ raw: String?) -> Cursor {
        guard let raw, !raw.isEmpty else { return .start }
        if let offset = Int(raw) { return offset >= 0 ? .offset(offset) : .malformed }
        if let id = ValidationRules.pathUUID(raw) { return .after(id.uuidString.lowercased()) }
        return .malformed
    }

    /// The contract's `lastPostId`: the id of the page's last post, or for an empty page the integer
    /// cursor echoed (`"0"` for every other cursor).
    public func lastPostId(pageIDs: [String]) -> String {
        if let last = pageIDs.last { return last }
        if case .offset(let offset) = cursor { return String(offset) }
        return Self.emptyPageToken
    }
}
