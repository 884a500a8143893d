import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaDomain
import GRPCCore

/// E18–E20 and E12's count: pages of posts, each with one batched author lookup — the only call to the user
/// service (the personal feed's followees come from the post service's copy of the follow graph; the first
/// time a follower reads it, they are copied from the user service once).
extension PostsHandler {
    /// The largest page (DECISIONS D28).
    static let maxLimit = CursorPage.maxLimit

    public func listFeed(
        request: Alpha_Post_V1_ListFeedRequest,
        context: ServerContext
    ) async throws -> Alpha_Post_V1_ListFeedResponse {
        let page = CursorPage(
            cursor: CursorPage.parseCursor(request.pageToken),
            limit: Int(request.limit).clamped(to: 0...Self.maxLimit)
        )
        let filter: FeedFilter
        let viewer: String?
        switch request.kind {
        case .personal:
            let me = try Caller.requireUser()
            let result = try await personalFeed(of: me, page: page)
            return try await response(page: page, result: result)
        case .global, .UNRECOGNIZED:
            try requireUserOrService()
            viewer = Caller.current?.username
            if request.hashtag.isEmpty {
                filter = .global
            } else {
                // A query that cannot be a stored tag matches nothing (§6.3, D26).
                guard let tag = Hashtags.query(request.hashtag) else {
                    return response(page: page, posts: [], total: 0)
                }
                filter = .hashtag(tag)
            }
        }
        let result = try await repository.feed(filter, cursor: page.cursor, limit: page.limit, viewer: viewer)
        return try await response(page: page, result: result)
    }

    /// `follower`'s personal feed from the copy of the follow graph; the first time, their followees are
    /// copied from the user service (one `ListFollowees`) and the page read again.
    func personalFeed(of follower: String, page: CursorPage) async throws -> PostPage {
        if let result = try await repository.personalFeed(of: follower, cursor: page.cursor, limit: page.limit) {
            return result
        }
        try await follows.copy(followees: try await users.followees(of: follower), of: follower)
        let result = try await repository.personalFeed(of: follower, cursor: page.cursor, limit: page.limit)
        return result ?? PostPage(posts: [], total: 0)
    }

    /// `result` with its authors, resolved in one batched user-service call.
    private func response(page: CursorPage, result: PostPage) async throws -> Alpha_Post_V1_ListFeedResponse {
        let authors = try await users.summaries(of: distinct(result.posts.flatMap(\.usernames)))
        return response(
            page: page,
            posts: result.posts.map { Alpha_Post_V1_Post($0, authors: authors) },
            total: result.total
        )
    }

    private func response(page: CursorPage, posts: [Alpha_Post_V1_Post], total: Int) -> Alpha_Post_V1_ListFeedResponse {
        .with {
            $0.posts = posts
            $0.nextPageToken = page.lastPostId(pageIDs: posts.map(\.postID))
            $0.total = Int64(total)
            $0.limit = Int32(page.limit)
        }
    }

    public func listUserPosts(
        request: Alpha_Post_V1_ListUserPostsRequest,
        context: ServerContext
    ) async throws -> Alpha_Post_V1_ListUserPostsResponse {
        let me = try Caller.requireUser()
        let username = request.username
        guard ValidationRules.isValidUsername(username) else { throw ServiceError.userNotFound(username) }
        let offset = max(Int(request.offset), 0)
        let limit = request.limit > 0 ? min(Int(request.limit), Self.maxLimit) : OffsetPage.defaultLimit
        let result = try await repository.posts(of: username, offset: offset, limit: limit, viewer: me)
        // The same call that resolves the authors tells whether the user exists.
        let authors = try await users.summaries(of: distinct([username] + result.posts.flatMap(\.usernames)))
        guard authors[username] != nil else { throw ServiceError.userNotFound(username) }
        return .with {
            $0.posts = result.posts.map { Alpha_Post_V1_Post($0, authors: authors) }
            $0.total = Int64(result.total)
        }
    }
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}
