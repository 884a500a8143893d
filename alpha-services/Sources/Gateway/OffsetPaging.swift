import AlphaContracts
import AlphaDomain

/// A request of one of the offset-paged list RPCs (E09, E15, E20, E24): it carries the page it asks for.
protocol OffsetPagedRequest {
    var offset: Int32 { get set }
    var limit: Int32 { get set }
}

extension OffsetPagedRequest {
    /// Asks for `page` (an offset beyond `Int32` is clamped: the list is empty there anyway).
    mutating func ask(for page: OffsetPage) {
        offset = Int32(clamping: page.offset)
        limit = Int32(clamping: page.limit)
    }
}

extension Alpha_User_V1_SearchUsersRequest: OffsetPagedRequest {}
extension Alpha_User_V1_ListSubscriptionsRequest: OffsetPagedRequest {}
extension Alpha_Post_V1_ListUserPostsRequest: OffsetPagedRequest {}
extension Alpha_Post_V1_ListCommentsRequest: OffsetPagedRequest {}

extension PageBody {
    /// `records` of an offset-paged list answering `page`, of `total` in all.
    init(records: [Record], page: OffsetPage, total: Int64) {
        self.init(records: records, pagination: PaginationInfo(page: page, records: Int(total)))
    }
}
