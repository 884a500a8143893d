import AlphaOutbox
import Foundation
import GRPCCore
import ImageOutbox
import Logging
import PostgresNIO

/// The relay topics that apply the post picture changes of the post service's outbox in the image service
/// (``PictureChangeDelivery``). An upload that is gone before its commit leaves its post without picture.
///
/// ```swift
/// let images = try process.addGRPCClient(urlKey: "image.service.url", defaultTarget: "127.0.0.1:50054")
/// try process.addOutboxRelay(client: postgres, topics: PostPictureDelivery.topics(
///     images: images, postgres: postgres, logger: process.logger))
/// ```
public enum PostPictureDelivery {
    public static func topics<Transport: ClientTransport>(
        images: GRPCClient<Transport>, postgres: PostgresClient, logger: Logger
    ) -> [OutboxTopic] {
        let repository = PostgresPostRepository(client: postgres, logger: logger)
        return PictureChangeDelivery(client: images) { commit in
            guard let postID = UUID(uuidString: commit.owner) else {
                throw OutboxPermanentFailure("not a post id: \(commit.owner)")
            }
            _ = try await repository.dropMissingPicture(of: postID)
        }.topics
    }
}
