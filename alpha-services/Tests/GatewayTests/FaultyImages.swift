import AlphaContracts
import GRPCCore
import ImageService
import Synchronization

/// Switches for the image service: `down` fails every call as if it were unreachable; `failCommits`
/// fails that many CommitImage calls.
final class Faults: Sendable {
    let down = Mutex(false)
    let failCommits = Mutex(0)

    func check() throws {
        if down.withLock({ $0 }) { throw RPCError(code: .unavailable, message: "image service down (test)") }
    }

    func checkCommit() throws {
        try check()
        let fail = failCommits.withLock { remaining in
            defer { remaining = max(0, remaining - 1) }
            return remaining > 0
        }
        if fail { throw RPCError(code: .unavailable, message: "commit fault (test)") }
    }
}

/// The real image handler behind ``Faults``.
struct FaultyImages: Alpha_Image_V1_Images.SimpleServiceProtocol {
    let real: ImagesHandler
    let faults: Faults

    func getStats(request: Alpha_Image_V1_GetStatsRequest, context: ServerContext) async throws
        -> Alpha_Image_V1_GetStatsResponse
    { try await real.getStats(request: request, context: context) }
    func uploadImage(request: Alpha_Image_V1_UploadImageRequest, context: ServerContext) async throws
        -> Alpha_Image_V1_UploadImageResponse
    {
        try faults.check()
        return try await real.uploadImage(request: request, context: context)
    }
    func commitImage(request: Alpha_Image_V1_CommitImageRequest, context: ServerContext) async throws
        -> Alpha_Image_V1_CommitImageResponse
    {
        try faults.checkCommit()
        return try await real.commitImage(request: request, context: context)
    }
    func discardImage(request: Alpha_Image_V1_DiscardImageRequest, context: ServerContext) async throws
        -> Alpha_Image_V1_DiscardImageResponse
    {
        try faults.check()
        return try await real.discardImage(request: request, context: context)
    }
    func deleteImages(request: Alpha_Image_V1_DeleteImagesRequest, context: ServerContext) async throws
        -> Alpha_Image_V1_DeleteImagesResponse
    {
        try faults.check()
        return try await real.deleteImages(request: request, context: context)
    }
    func getImage(request: Alpha_Image_V1_GetImageRequest, context: ServerContext) async throws
        -> Alpha_Image_V1_GetImageResponse
    { try await real.getImage(request: request, context: context) }
}
