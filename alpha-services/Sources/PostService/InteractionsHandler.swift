import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaDomain
import Foundation
import GRPCCore

/// `alpha.post.v1.Interactions`: likes and comments (CONTRACT E21–E24), on behalf of a signed-in user.
public struct InteractionsHandler {
    private let repository: any PostRepository
    private let users: any UserDirectory
    private let now: @Sendable () -> Date

    public init(
        repository: any PostRepository,
        users: any UserDirectory,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.repository = repository
        self.users = users
        self.now = now
    }
}

extension InteractionsHandler: Alpha_Post_V1_Interactions.SimpleServiceProtocol {
    // MARK: - E21 like

    public func likePost(
        request: Alpha_Post_V1_LikeRequest,
        context: ServerContext
    ) async throws -> Alpha_Post_V1_LikeResponse {
        let me = try Caller.requireUser()
        let id = try postID(request.postID)
        switch try await repository.like(id, by: me, at: now()) {
        case .liked: return Alpha_Post_V1_LikeResponse()
        case .alreadyLiked: throw ServiceError.alreadyLiked
        case .postNotFound: throw ServiceError.postNotFound(request.postID)
        }
    }

    // MARK: - E22 unlike

    public func unlikePost(
        request: Alpha_Post_V1_LikeRequest,
        context: ServerContext
    ) async throws -> Alpha_Post_V1_LikeResponse {
        let me = try Caller.requireUser()
        let id = try postID(request.postID)
        // No like by the caller — also on a well-formed id of no post — is 409 ERR-022 (D21).
        guard try await repository.unlike(id, by: me) else { throw ServiceError.notLiked }
        return Alpha_Post_V1_LikeResponse()
    }

    // MARK: - E23 comment

    public func createComment(
        request: Alpha_Post_V1_CreateCommentRequest,
        context: ServerContext
    ) async throws -> Alpha_Post_V1_Comment {
        let me = try Caller.requireUser()
        // The body is validated before the path id (E23); the limit applies to the escaped text (D09).
        guard ValidationRules.isValidComment(request.content), ValidationRules.isStorable(request.content) else {
            throw ServiceError.badRequest("invalid comment")
        }
        let id = try postID(request.postID)
        let comment = CommentRecord(id: UUID(), postID: id, author: me, content: request.content, createdAt: now())
        guard try await repository.addComment(comment) else { throw ServiceError.postNotFound(request.postID) }
        let author = try await users.summaries(of: [me])[me]
        return Alpha_Post_V1_Comment(comment, author: author)
    }

    // MARK: - E24 comments

    public func listComments(
        request: Alpha_Post_V1_ListCommentsRequest,
        context: ServerContext
    ) async throws -> Alpha_Post_V1_ListCommentsResponse {
        try Caller.requireUser()
        let id = try postID(request.postID)
        let offset = max(Int(request.offset), 0)
        let limit = request.limit > 0 ? min(Int(request.limit), OffsetPage.maxLimit) : OffsetPage.defaultLimit
        guard let page = try await repository.comments(of: id, offset: offset, limit: limit) else {
            throw ServiceError.postNotFound(request.postID)
        }
        let authors = try await users.summaries(of: distinct(page.comments.map(\.author)))
        return .with {
            $0.comments = page.comments.map { Alpha_Post_V1_Comment($0, author: authors[$0.author]) }
            $0.total = Int64(page.total)
        }
    }

    /// A path id that is not a UUID names no post (404 ERR-020).
    private func postID(_ raw: String) throws -> UUID {
        guard let id = ValidationRules.pathUUID(raw) else { throw ServiceError.postNotFound(raw) }
        return id
    }
}
