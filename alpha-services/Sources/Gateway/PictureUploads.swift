import AlphaContracts
import AlphaDomain
import AlphaGRPC
import Foundation
import GRPCCore
import Logging

/// Stores an uploaded profile picture (E02, E10) so that a failure at any step leaves neither a dangling
/// URL nor an orphan image (issue 7, D44). The user service's save is the commit point:
///
/// 1. the image service validates and stores the image *pending* (not served) — refused → 400, nothing
///    else happens;
/// 2. `save` stores the profile with the picture's URL and upload id; in the same transaction the user
///    service counts the profile's picture version up and writes the image commit into its outbox, whose
///    relay applies it until it succeeds. When the save fails, the upload is discarded (or swept);
/// 3. the gateway applies the same commit at once, so the client's next read finds the picture. When that
///    fails the request still succeeds — the profile is saved and the relay commits the picture.
///
/// The version orders commits: of two concurrent uploads the one saved last is served, whatever order the
/// commits arrive in. No RPC runs inside a database transaction: each step is its own call.
struct PictureUploads {
    let images: Alpha_Image_V1_Images.Client<Upstreams.Transport>
    let logger: Logger

    /// Deadline of the upload RPC. Moving up to 7 MiB and decoding it completely takes longer than the 3 s
    /// every other call gets (`RPC_TIMEOUT_SECONDS`): measured on a loaded 2-core machine with 10 parallel
    /// 7 MiB uploads (debug build), 3 s timed out.
    static let uploadTimeout = Duration.seconds(15)

    /// Options of the commit/deletion made right after the save (the user service's outbox holds the durable
    /// copy): fail fast rather than keep the client waiting while the image service is unreachable.
    static let immediateCallOptions = CallOptions.failFast(timeout: .seconds(1))

    /// What the profile's save answers: the saved result and the picture version it gave the upload.
    struct Saved<Result> {
        var result: Result
        var pictureVersion: Int64
    }

    /// Runs the three steps for `data` as the profile picture of `owner`, forwarding `token` when the call
    /// is made for a signed-in user (nil: service credential only, as at registration). `save` gets the
    /// picture and its upload id.
    func store<Result>(
        _ data: Data,
        owner: String,
        token: String?,
        save: (Alpha_User_V1_Picture, String) async throws -> Saved<Result>
    ) async throws -> Result {
        let upload = try await upstream(token: token, logger: logger) {
            var options = CallOptions.defaults
            options.timeout = Self.uploadTimeout
            return try await images.uploadImage(
                .with {
                    $0.kind = .profile
                    $0.owner = owner
                    $0.data = data
                },
                options: options
            )
        }
        let picture = Alpha_User_V1_Picture.with {
            $0.url = upload.url
            $0.width = upload.width
            $0.height = upload.height
        }
        let saved: Saved<Result>
        do {
            saved = try await save(picture, upload.uploadID)
        } catch {
            // Even if the save did commit (its answer was lost), discarding is safe: the relay then finds no
            // upload and puts the profile back on the default avatar.
            await discard(upload.uploadID, token: token)
            throw error
        }
        // The same request the user service wrote into its outbox (ImageOutbox's PictureChanges.commit).
        await commitNow(
            .with {
                $0.uploadID = upload.uploadID
                $0.kind = .profile
                $0.owner = owner
                $0.ownerVersion = saved.pictureVersion
            },
            token: token)
        return saved.result
    }

    /// Applies a saved reset (picture `version`) at once: the old picture is deleted (D44). On failure the
    /// user service's outbox relay deletes it.
    func deleteNow(owner: String, version: Int64, token: String?) async {
        await bestEffort(
            "replaced picture not deleted yet; the outbox relay will", metadata: ["owner": "\(owner)"], token: token
        ) {
            try await images.deleteImages(
                .with {
                    $0.kind = .profile
                    $0.owner = owner
                    $0.ownerVersion = version
                },
                options: Self.immediateCallOptions)
        }
    }

    private func commitNow(_ commit: Alpha_Image_V1_CommitImageRequest, token: String?) async {
        await bestEffort(
            "picture saved with its owner, not committed yet; the outbox relay will",
            metadata: ["upload_id": "\(commit.uploadID)"], token: token
        ) {
            try await images.commitImage(commit, options: Self.immediateCallOptions)
        }
    }

    /// The upload stays pending (never served) until the image service sweeps it.
    private func discard(_ uploadID: String, token: String?) async {
        await bestEffort("could not discard upload", metadata: ["upload_id": "\(uploadID)"], token: token) {
            try await images.discardImage(.with { $0.uploadID = uploadID })
        }
    }

    /// Makes a call whose failure is repaired later (by an outbox relay or the image service's sweep): a
    /// failure is logged as `warning` with `metadata` and the error, and not thrown.
    private func bestEffort<Answer: Sendable>(
        _ warning: Logger.Message,
        metadata: Logger.Metadata,
        token: String?,
        _ call: () async throws -> Answer
    ) async {
        do {
            _ = try await upstream(token: token, logger: logger, call)
        } catch {
            logger.warning(warning, metadata: metadata.merging(["error": "\(error)"]) { $1 })
        }
    }
}

extension GatewayDependencies {
    /// The picture steps, logging to the request's logger.
    func pictures(logger: Logger) -> PictureUploads { PictureUploads(images: upstreams.images, logger: logger) }
}
