import AlphaCore
import AlphaDomain
import Foundation

/// The one place post pictures are handled (E16 upload, E17 deletion per D44): the seam the image
/// service's client plugs into.
///
/// `store` runs before the post's transaction (no RPC while it is open); when storing the post then
/// fails, ``PostsHandler`` calls `deletePicture` for the orphan. `deletePicture` runs after a deletion
/// has committed.
public protocol PostPictureStore: Sendable {
    /// Stores the base64 image `picture` as the picture of `postID` (`<postId>.<ext>`); throws
    /// 400 ERR-001 (``ServiceError``) for data that is not an acceptable image.
    func store(picture: String, for postID: UUID) async throws -> PostPicture

    /// Removes the picture of `postID` from storage (its URL then answers 404 ERR-028).
    func deletePicture(of postID: UUID) async throws
}

/// Until the image service exists: every non-empty picture is refused with 400 ERR-001 (the rule),
/// and there is never a picture to delete.
public struct PicturesUnavailable: PostPictureStore {
    public init() {}

    public func store(picture: String, for postID: UUID) async throws -> PostPicture {
        throw ServiceError(.invalidArgument, code: ErrorCode.badRequest.code, message: "post pictures are not accepted yet")
    }

    public func deletePicture(of postID: UUID) async throws {}
}
