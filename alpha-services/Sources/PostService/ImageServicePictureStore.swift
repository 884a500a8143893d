import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaDomain
import AlphaGRPC
import Foundation
import GRPCCore
import ImageOutbox

/// Post pictures in the image service: E16 stores one, E17 deletes it with its post (D44).
///
/// The picture is uploaded pending as `<postId>.<ext>`; the post's transaction writes its commit into the
/// outbox, and ``PostsHandler`` commits it at once afterwards (or discards it when the post failed to save).
/// Calls forward the author's token, so the image service records the author as the uploader and lets only
/// them commit or delete it.
public struct ImageServicePictureStore<Transport: ClientTransport>: PostPictureStore {
    let images: Alpha_Image_V1_Images.Client<Transport>

    public init(images: Alpha_Image_V1_Images.Client<Transport>) {
        self.images = images
    }

    public func upload(picture: String, for postID: UUID) async throws -> PostPictureUpload {
        let data: Data
        do {
            data = try InlineImage.decode(picture)
        } catch {
            throw ServiceError(.invalidArgument, code: ErrorCode.badRequest.code, message: "\(error)")
        }
        let upload = try await forwardingCaller {
            try await images.uploadImage(
                .with {
                    $0.kind = .post
                    $0.owner = postID.uuidString.lowercased()
                    $0.data = data
                })
        }
        return PostPictureUpload(
            picture: PostPicture(url: upload.url, width: upload.width, height: upload.height),
            uploadID: upload.uploadID)
    }

    public func commit(_ upload: PostPictureUpload, of postID: UUID) async throws {
        _ = try await forwardingCaller {
            try await images.commitImage(
                PictureChanges.commit(
                    uploadID: upload.uploadID, kind: .post, owner: postID.uuidString.lowercased(),
                    version: PostPictureVersion.created),
                options: PictureChanges.immediateCallOptions)
        }
    }

    public func discard(_ upload: PostPictureUpload) async throws {
        _ = try await forwardingCaller {
            try await images.discardImage(.with { $0.uploadID = upload.uploadID })
        }
    }

    public func deletePicture(of postID: UUID) async throws {
        _ = try await forwardingCaller {
            try await images.deleteImages(
                PictureChanges.delete(
                    kind: .post, owner: postID.uuidString.lowercased(), version: PostPictureVersion.deleted),
                options: PictureChanges.immediateCallOptions)
        }
    }

    /// Runs `call` for the user this RPC serves; a remote catalog error (400 ERR-001) comes back as itself.
    private func forwardingCaller<T: Sendable>(_ call: () async throws -> T) async throws -> T {
        do {
            return try await ForwardedUserToken.$current.withValue(Caller.current?.userToken) { try await call() }
        } catch let error as RPCError {
            if let remote = ServiceError(remote: error) { throw remote }
            throw error
        }
    }
}
