import AlphaContracts
import AlphaOutbox
import Foundation
import GRPCCore

/// Delivers the ``PictureChanges`` of a service's outbox to the image service (`CommitImage`,
/// `DeleteImages`), with the service credential the kit's clients carry. Both calls are idempotent and
/// ordered by the owner's picture version, so a repeated or late delivery changes nothing.
///
/// A commit whose upload is gone (discarded by a caller that took the owner's save for failed, or swept
/// after an image-service outage longer than `IMAGE_PENDING_TTL_SECONDS`) can never be applied: then
/// `uploadMissing` lets the owning service stop referring to it (back to the default avatar, a post
/// without picture), so no URL is left dangling.
///
/// ```swift
/// let images = try process.addGRPCClient(urlKey: "image.service.url", defaultTarget: "127.0.0.1:50054")
/// try process.addOutboxRelay(client: postgres, topics: PictureChangeDelivery(client: images) { commit in
///     try await repository.dropMissingPicture(of: commit.owner, version: commit.ownerVersion)
/// }.topics)
/// ```
public struct PictureChangeDelivery<Transport: ClientTransport>: Sendable {
    private let images: Alpha_Image_V1_Images.Client<Transport>
    private let uploadMissing: @Sendable (Alpha_Image_V1_CommitImageRequest) async throws -> Void

    public init(
        client: GRPCClient<Transport>,
        uploadMissing: @escaping @Sendable (Alpha_Image_V1_CommitImageRequest) async throws -> Void
    ) {
        self.images = Alpha_Image_V1_Images.Client(wrapping: client)
        self.uploadMissing = uploadMissing
    }

    /// The two relay topics: ``PictureChanges/commitTopic`` and ``PictureChanges/deleteTopic``.
    public var topics: [OutboxTopic] {
        [
            OutboxTopic(PictureChanges.commitTopic) { message in try await deliverCommit(message) },
            OutboxTopic(PictureChanges.deleteTopic) { message in try await deliverDelete(message) },
        ]
    }

    /// Applies one commit; an upload that is gone is handed to `uploadMissing`. Decoding and the permanent
    /// failures are the kit's ``OutboxRequestDelivery``.
    public func deliverCommit(_ message: OutboxMessage) async throws {
        try await OutboxRequestDelivery.deliver(message, as: Alpha_Image_V1_CommitImageRequest.self) { request in
            do {
                _ = try await images.commitImage(request)
            } catch let error as RPCError where error.code == .notFound {
                try await uploadMissing(request)
            }
        }
    }

    /// Applies one deletion.
    public func deliverDelete(_ message: OutboxMessage) async throws {
        try await OutboxRequestDelivery.deliver(message, as: Alpha_Image_V1_DeleteImagesRequest.self) { request in
            _ = try await images.deleteImages(request)
        }
    }
}
