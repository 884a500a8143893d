import AlphaContracts
import AlphaDomain
import Hummingbird

extension Request {
    /// The `?offset=&limit=` page of the offset-paged lists (E09, E15, E20, E24), read by the contract's rules.
    var offsetPage: OffsetPage {
        let query = uri.queryParameters
        return OffsetPage.parse(offset: query["offset"].map(String.init), limit: query["limit"].map(String.init))
    }
}

extension Alpha_Post_V1_ListFeedRequest {
    /// Asks for the `?postId=&limit=` page of `request` (the post lists E18, E19): the limit by the contract's
    /// rules (``CursorPage/parseLimit(_:)``), the cursor as given — the post service reads it.
    mutating func ask(forPageOf request: Request) {
        let query = request.uri.queryParameters
        pageToken = query["postId"].map(String.init) ?? ""
        limit = Int32(CursorPage.parseLimit(query["limit"].map(String.init)))
    }
}
