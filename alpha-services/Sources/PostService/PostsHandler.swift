import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaDomain
import Foundation
import GRPCCore
import Logging

/// `alpha.post.v1.Posts`: create and delete posts, the feeds, and post counts (CONTRACT E12, E16–E20).
///
/// Every RPC takes the caller from the verified user token and authorises itself (only the author deletes
/// a post). The global feed and post counts also answer calls that carry only the service credential
/// (anonymous feed, `liked` always false). Author data comes from the user service in one batched call per
/// request (``UserDirectory``); the personal feed's followees from the post service's own copy of the follow
/// graph (``FollowReplica``).
public struct PostsHandler {
    let repository: any PostRepository
    let users: any UserDirectory
    let follows: any FollowReplica
    let pictures: any PostPictureStore
    let now: @Sendable () -> Date
    let logger: Logger

    public init(
        repository: any PostRepository,
        users: any UserDirectory,
        follows: any FollowReplica,
        pictures: any PostPictureStore = PicturesUnavailable(),
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger
    ) {
        self.repository = repository
        self.users = users
        self.follows = follows
        self.pictures = pictures
        self.now = now
        self.logger = logger
    }
}

extension PostsHandler: Alpha_Post_V1_Posts.SimpleServiceProtocol {
    // MARK: - E12's post count

    public func countPosts(
        request: Alpha_Post_V1_CountPostsRequest,
        context: ServerContext
    ) async throws -> Alpha_Post_V1_CountPostsResponse {
        try requireUserOrService()
        let count = try await repository.count(of: request.username)
        return .with { $0.count = Int64(count) }
    }

    // MARK: - E16 create

    public func createPost(
        request: Alpha_Post_V1_CreatePostRequest,
        context: ServerContext
    ) async throws -> Alpha_Post_V1_Post {
        let me = try Caller.requireUser()
        // The gateway normalised the content; the limits apply to that form (R-POST).
        guard ValidationRules.isValidPostContentLength(request.content), ValidationRules.isStorable(request.content)
        else { throw ServiceError.badRequest("invalid content") }
        var repostOf: UUID?
        if !request.repostedPostID.isEmpty {
            guard ValidationRules.isValidUUID4(request.repostedPostID) else {
                throw ServiceError.badRequest("invalid repostedPostId")
            }
            repostOf = UUID(uuidString: request.repostedPostID)
        }
        // D25: something must be posted; "" picture and "" repostedPostId count as absent.
        guard !request.content.isEmpty || !request.picture.isEmpty || repostOf != nil else {
            throw ServiceError.badRequest("empty post")
        }
        var location: GeoLocation?
        if request.hasLocation {
            location = GeoLocation(
                latitude: Double(request.location.latitude),
                longitude: Double(request.location.longitude),
                accuracy: Int(request.location.accuracy)
            )
            guard location != nil else { throw ServiceError.badRequest("invalid location") }
        }
        let id = UUID()
        // Stored before the transaction (no RPC while it is open) and removed again if the post is not.
        var picture: PostPicture?
        if !request.picture.isEmpty { picture = try await pictures.store(picture: request.picture, for: id) }
        let post = NewPost(
            id: id, author: me, content: request.content, createdAt: now(), location: location,
            picture: picture, repostOf: repostOf, hashtags: Hashtags.extract(from: request.content)
        )
        let creation: PostCreation
        do {
            creation = try await repository.create(post)
        } catch {
            if picture != nil { await deletePicture(of: id) }
            throw error
        }
        if case .originalNotFound = creation {
            if picture != nil { await deletePicture(of: id) }
            throw ServiceError.postNotFound(request.repostedPostID)
        }
        guard let record = try await repository.post(id, viewer: me) else {
            throw ServiceError.postNotFound(id.uuidString.lowercased())  // deleted in the meantime
        }
        let authors = try await users.summaries(of: distinct(record.usernames))
        return Alpha_Post_V1_Post(record, authors: authors)
    }

    // MARK: - E17 delete

    public func deletePost(
        request: Alpha_Post_V1_DeletePostRequest,
        context: ServerContext
    ) async throws -> Alpha_Post_V1_DeletePostResponse {
        let me = try Caller.requireUser()
        guard let id = ValidationRules.pathUUID(request.postID) else { throw ServiceError.postNotFound(request.postID) }
        switch try await repository.delete(id, author: me) {
        case .deleted(let hadPicture):
            // After commit (D44); a failure leaves an orphaned file, never a half-deleted post.
            if hadPicture { await deletePicture(of: id) }
            return Alpha_Post_V1_DeletePostResponse()
        case .notFound:
            throw ServiceError.postNotFound(request.postID)
        case .notAuthor:
            throw ServiceError.deletePostForbidden
        }
    }

    private func deletePicture(of id: UUID) async {
        do {
            try await pictures.deletePicture(of: id)
        } catch {
            logger.error(
                "post picture not deleted", metadata: ["post_id": "\(id)", "error": "\(String(reflecting: error))"])
        }
    }

    /// The caller must be a user or a service (the identity interceptor guarantees one of them; this
    /// keeps the rule visible where it is relied on).
    func requireUserOrService() throws {
        guard let caller = Caller.current, caller.isService || caller.username != nil else {
            throw IdentityError.userRequired
        }
    }
}
