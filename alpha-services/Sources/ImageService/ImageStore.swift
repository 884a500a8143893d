import Foundation

/// Where images live. PostgreSQL (``PostgresImageStore``) is the default; an object store can implement
/// the same protocol (names are unique among committed images; pending uploads are invisible to readers).
///
/// `actingFor` is the user a call is made for (`nil`: a service on its own behalf, allowed everything);
/// uploads remember their uploader and only they may commit, discard or delete them.
public protocol ImageStore: Sendable {
    /// Stores `image` pending (or, with `commit`, as the owner's picture at once, replacing the previous
    /// one) and returns its upload id. Sweeps pending uploads older than `pendingTTL` on the way.
    func insert(_ image: NewImage, commit: Bool, pendingTTL: Duration) async throws -> UUID

    /// Makes the pending upload the owner's picture and deletes the one(s) it replaces. Idempotent.
    ///
    /// With `ownerVersion` > 0 the commit is ordered: when the owner's highest applied version is at least
    /// as high, it is stale and the pending upload is discarded instead (``ImageCommit/stale``). With
    /// `owner` set, an upload of another owner is `.notFound`.
    func commit(uploadID: UUID, owner: ImageOwner?, ownerVersion: Int64, actingFor user: String?) async throws
        -> ImageStoreOutcome<ImageCommit>

    /// Deletes the upload if it is still pending. Idempotent (`.done(false)` when nothing was pending).
    func discard(uploadID: UUID, actingFor user: String?) async throws -> ImageStoreOutcome<Bool>

    /// Deletes the committed image(s) of `owner` that `user` uploaded (all when `nil`); returns how many.
    /// Pending uploads are left to their own commit, discard or sweep (a concurrent upload stays intact).
    /// With `ownerVersion` > 0 the deletion is ordered like a commit: stale, it deletes nothing.
    func deleteAll(of owner: ImageOwner, ownerVersion: Int64, actingFor user: String?) async throws -> Int

    /// Who uploaded the images of `owner` (empty when none; `nil` entries for service uploads).
    func uploaders(of owner: ImageOwner) async throws -> Set<String?>

    /// The committed image called `name`; its bytes are left out when `etag` is its current ETag.
    func image(named name: String, unlessETag etag: String?) async throws -> StoredImage?

    /// Number of committed images.
    func count() async throws -> Int
}
