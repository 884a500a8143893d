import AlphaCore
import AlphaDomain
import Foundation

/// The one place post pictures are handled (E16 upload, E17 deletion per D44): the seam the image
/// service's client plugs into.
///
/// The post's save is the picture's commit point (issue 7): `upload` stores the picture pending before
/// the post's transaction (no RPC while it is open); that transaction writes the commit into the post
/// service's outbox (``PostgresPostRepository``), whose relay applies it in the image service. `commit`
/// applies it at once after the transaction, so the author's next read finds the picture; when it fails
/// the relay still does it. When the post fails to save, `discard` drops the upload (or the image service
/// sweeps it). A deletion goes the same way: the outbox with the deleted post, then `deletePicture` at once.
public protocol PostPictureStore: Sendable {
    /// Validates and stores the base64 image `picture` pending as the picture of `postID` (`<postId>.<ext>`);
    /// throws 400 ERR-001 (``ServiceError``) for data that is not an acceptable image.
    func upload(picture: String, for postID: UUID) async throws -> PostPictureUpload

    /// Commits `upload` as the picture of `postID` (``PostPictureVersion/created``); idempotent.
    func commit(_ upload: PostPictureUpload, of postID: UUID) async throws

    /// Drops `upload`, which no post refers to.
    func discard(_ upload: PostPictureUpload) async throws

    /// Removes the picture of `postID` from storage (``PostPictureVersion/deleted``; its URL then answers
    /// 404 ERR-028).
    func deletePicture(of postID: UUID) async throws
}

/// Until the image service exists: every non-empty picture is refused with 400 ERR-001 (the rule),
/// and there is never a picture to delete.
public struct PicturesUnavailable: PostPictureStore {
    public init() {}

    public func upload(picture: String, for postID: UUID) async throws -> PostPictureUpload {
        throw ServiceError(
            .invalidArgument, code: ErrorCode.badRequest.code, message: "post pictures are not accepted yet")
    }

    public func commit(_ upload: PostPictureUpload, of postID: UUID) async throws {}

    public func discard(_ upload: PostPictureUpload) async throws {}

    public func deletePicture(of postID: UUID) async throws {}
}
