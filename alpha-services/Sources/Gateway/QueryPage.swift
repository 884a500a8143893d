import AlphaDomain
import Hummingbird

extension Request {
    /// The `?offset=&limit=` page of the offset-paged lists (E09, E15, E20, E24), read by the contract's rules.
    var offsetPage: OffsetPage {
        let query = uri.queryParameters
        return OffsetPage.parse(offset: query["offset"].map(String.init), limit: query["limit"].map(String.init))
    }

    /// The `?postId=&limit=` page of the post lists (E18, E19), read by the contract's rules.
    var cursorPage: CursorPage {
        let query = uri.queryParameters
        return CursorPage.parse(postId: query["postId"].map(String.init), limit: query["limit"].map(String.init))
    }
}
