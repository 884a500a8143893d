import AlphaContracts
import AlphaDomain
import Foundation
import GRPCCore
import Logging

/// Stores an uploaded picture together with its owner, so that a failure at any step leaves neither a
/// dangling URL nor an orphan image (D44):
///
/// 1. the image service validates and stores the image *pending* (not served) — refused → 400, nothing
///    else happens;
/// 2. `save` stores the owner with the picture's URL — fails → the pending upload is discarded (and would
///    be swept anyway), the old picture is untouched;
/// 3. the upload is committed: now served, and the owner's previous picture deleted. Retried, since the
///    owner already points at it.
///
/// No RPC runs inside a database transaction: each step is its own call.
struct PictureUploads {
    let images: Alpha_Image_V1_Images.Client<Upstreams.Transport>
    let logger: Logger

    /// Attempts for the commit after the owner was saved.
    static let commitAttempts = 3

    /// Deadline of the upload RPC. Moving up to 7 MiB and decoding it completely takes longer than the 3 s
    /// every other call gets (`RPC_TIMEOUT_SECONDS`): measured on a loaded 2-core machine with 10 parallel
    /// 7 MiB uploads (debug build), 3 s timed out.
    static let uploadTimeout = Duration.seconds(15)

    /// Runs the three steps for `data` as the picture of `owner` (`kind`), forwarding `token` when the
    /// call is made for a signed-in user (nil: service credential only, as at registration).
    func store<Saved>(
        _ data: Data,
        kind: Alpha_Image_V1_ImageOwnerKind,
        owner: String,
        token: String?,
        save: (Alpha_User_V1_Picture) async throws -> Saved
    ) async throws -> Saved {
        let upload = try await upstream(token: token, logger: logger) {
            var options = CallOptions.defaults
            options.timeout = Self.uploadTimeout
            return try await images.uploadImage(
                .with {
                    $0.kind = kind
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
        let saved: Saved
        do {
            saved = try await save(picture)
        } catch {
            await discard(upload.uploadID, token: token)
            throw error
        }
        try await commit(upload.uploadID, token: token)
        return saved
    }

    /// Deletes the pictures of `owner` after the owner stopped using them (profile reset). A failure
    /// is logged and leaves an unreferenced image behind, never a dangling URL.
    func delete(kind: Alpha_Image_V1_ImageOwnerKind, owner: String, token: String?) async {
        do {
            _ = try await upstream(token: token, logger: logger) {
                try await images.deleteImages(
                    .with {
                        $0.kind = kind
                        $0.owner = owner
                    })
            }
        } catch {
            logger.error("could not delete replaced picture", metadata: ["owner": "\(owner)", "error": "\(error)"])
        }
    }

    private func commit(_ uploadID: String, token: String?) async throws {
        var attempt = 1
        while true {
            do {
                _ = try await upstream(token: token, logger: logger) {
                    try await images.commitImage(.with { $0.uploadID = uploadID })
                }
                return
            } catch {
                guard attempt < Self.commitAttempts else {
                    logger.error(
                        "picture saved with its owner but not committed",
                        metadata: ["upload_id": "\(uploadID)", "error": "\(error)"])
                    throw error
                }
                attempt += 1
                try? await Task.sleep(for: .milliseconds(100 * attempt))
            }
        }
    }

    private func discard(_ uploadID: String, token: String?) async {
        do {
            _ = try await upstream(token: token, logger: logger) {
                try await images.discardImage(.with { $0.uploadID = uploadID })
            }
        } catch {
            // The upload stays pending (never served) until the image service sweeps it.
            logger.warning("could not discard upload", metadata: ["upload_id": "\(uploadID)", "error": "\(error)"])
        }
    }
}

extension GatewayDependencies {
    /// The picture steps, logging to the request's logger.
    func pictures(logger: Logger) -> PictureUploads { PictureUploads(images: upstreams.images, logger: logger) }
}
