import AlphaContracts
import AlphaGRPC
import AlphaOutbox
import Foundation
import GRPCCore
import Logging
import PostgresNIO

/// The picture changes an owning service (the user service for profiles, the post service for posts) writes
/// into its own outbox, in the transaction that saves the owner: that transaction is the commit point of a
/// picture. The ``PictureChangeDelivery`` relay topic then applies them in the image service.
///
/// Each change carries the owner's picture version, counted by the owning service in the same transaction
/// (a profile's `picture_version`; a post's picture is version 1 and its deletion version 2), so the image
/// service applies them in the order they were saved whatever order they arrive in:
///
/// ```swift
/// try await client.withTransaction(logger: logger) { connection in
///     let version = try await bumpPictureVersion(of: username, on: connection)  // UPDATE … RETURNING
///     try await PictureChanges.enqueueCommit(
///         uploadID: uploadID, kind: .profile, owner: username, version: version,
///         outbox: outbox, on: connection, logger: logger)
/// }
/// ```
public enum PictureChanges {
    /// Topic of `alpha.image.v1.CommitImageRequest` payloads: make a pending upload the owner's picture.
    public static let commitTopic = "image.commit"
    /// Topic of `alpha.image.v1.DeleteImagesRequest` payloads: delete the owner's picture(s) (D44).
    public static let deleteTopic = "image.delete"

    /// Options of the immediate call a service makes after its save (the outbox's copy is the durable one):
    /// it fails fast — no waiting for an unreachable image service, a short deadline — so that an image
    /// service outage never makes the caller's own request time out; the relay applies the change later.
    public static let immediateCallOptions = CallOptions.failFast(timeout: .seconds(1))

    /// The commit request of `uploadID` as the picture `version` of `owner`.
    public static func commit(
        uploadID: String, kind: Alpha_Image_V1_ImageOwnerKind, owner: String, version: Int64
    ) -> Alpha_Image_V1_CommitImageRequest {
        .with {
            $0.uploadID = uploadID
            $0.kind = kind
            $0.owner = owner
            $0.ownerVersion = version
        }
    }

    /// The deletion request of `owner`'s pictures as its picture `version`.
    public static func delete(
        kind: Alpha_Image_V1_ImageOwnerKind, owner: String, version: Int64
    ) -> Alpha_Image_V1_DeleteImagesRequest {
        .with {
            $0.kind = kind
            $0.owner = owner
            $0.ownerVersion = version
        }
    }

    /// Writes the commit of `uploadID` into `outbox` on `connection` (inside the caller's transaction).
    public static func enqueueCommit(
        uploadID: String, kind: Alpha_Image_V1_ImageOwnerKind, owner: String, version: Int64,
        outbox: Outbox, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let request = commit(uploadID: uploadID, kind: kind, owner: owner, version: version)
        try await outbox.enqueue(
            topic: commitTopic, payload: try request.serializedBytes() as [UInt8], on: connection, logger: logger)
    }

    /// Writes the deletion of `owner`'s pictures into `outbox` on `connection` (inside the caller's transaction).
    public static func enqueueDelete(
        kind: Alpha_Image_V1_ImageOwnerKind, owner: String, version: Int64,
        outbox: Outbox, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let request = delete(kind: kind, owner: owner, version: version)
        try await outbox.enqueue(
            topic: deleteTopic, payload: try request.serializedBytes() as [UInt8], on: connection, logger: logger)
    }
}
