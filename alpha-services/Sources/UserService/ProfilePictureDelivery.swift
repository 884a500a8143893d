import AlphaOutbox
import GRPCCore
import ImageOutbox
import Logging
import PostgresNIO

/// The relay topics that apply the profile picture changes of the user service's outbox in the image
/// service (``PictureChangeDelivery``). An upload that is gone before its commit (see there) puts the
/// profile back on the default avatar, if it still refers to it.
///
/// ```swift
/// let images = try process.addGRPCClient(urlKey: "image.service.url", defaultTarget: "127.0.0.1:50054")
/// try process.addOutboxRelay(client: postgres, topics: ProfilePictureDelivery.topics(
///     images: images, postgres: postgres, logger: process.logger))
/// ```
public enum ProfilePictureDelivery {
    public static func topics<Transport: ClientTransport>(
        images: GRPCClient<Transport>, postgres: PostgresClient, logger: Logger
    ) -> [OutboxTopic] {
        let repository = PostgresUserRepository(client: postgres, logger: logger)
        return PictureChangeDelivery(client: images) { commit in
            _ = try await repository.dropMissingPicture(of: commit.owner, version: commit.ownerVersion)
        }.topics
    }
}
