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
        // Uploaded pending before the transaction (no RPC while it is open); the post's save commits it
        // through the outbox (issue 7), and a post that is not saved drops it.
        var upload: PostPictureUpload?
        if !request.picture.isEmpty { upload = try await pictures.upload(picture: request.picture, for: id) }
        let post = NewPost(
            id: id, author: me, content: request.content, createdAt: now(), location: location,
            picture: upload?.picture, pictureUploadID: upload?.uploadID, repostOf: repostOf,
            hashtags: Hashtags.extract(from: request.content)
        )
        let creation: PostCreation
        do {
            creation = try await repository.create(post)
        } catch {
            if let upload { await discard(upload) }
            throw error
        }
        if case .originalNotFound = creation {
            if let upload { await discard(upload) }
            throw ServiceError.postNotFound(request.repostedPostID)
        }
        if let upload { await commitNow(upload, of: id) }
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
            // The deletion is in the outbox with the post (D44); this applies it at once, the relay retries.
            if hadPicture { await deletePicture(of: id) }
            return Alpha_Post_V1_DeletePostResponse()
        case .notFound:
            throw ServiceError.postNotFound(request.postID)
        case .notAuthor:
            throw ServiceError.deletePostForbidden
        }
    }

    /// The outbox's commit, applied now so the author's next read finds the picture; on failure the relay
    /// applies it (the post is saved: the request succeeds).
    private func commitNow(_ upload: PostPictureUpload, of id: UUID) async {
        do {
            try await pictures.commit(upload, of: id)
        } catch {
            logger.warning(
                "post picture not committed yet; the outbox relay will",
                metadata: ["post_id": "\(id)", "error": "\(String(reflecting: error))"])
        }
    }

    private func discard(_ upload: PostPictureUpload) async {
        do {
            try await pictures.discard(upload)
        } catch {
            // Pending uploads are never served and are swept after IMAGE_PENDING_TTL_SECONDS.
            logger.warning(
                "post picture upload not discarded", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    private func deletePicture(of id: UUID) async {
        do {
            try await pictures.deletePicture(of: id)
        } catch {
            logger.warning(
                "post picture not deleted yet; the outbox relay will",
                metadata: ["post_id": "\(id)", "error": "\(String(reflecting: error))"])
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
