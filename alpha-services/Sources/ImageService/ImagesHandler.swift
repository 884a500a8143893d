import AlphaAuth
import AlphaContracts
import GRPCCore

/// `alpha.image.v1.Images`. Uploads are not stored yet, so the store is empty.
public struct ImagesHandler: Alpha_Image_V1_Images.SimpleServiceProtocol {
    public init() {}

    public func getStats(
        request: Alpha_Image_V1_GetStatsRequest,
        context: ServerContext
    ) async throws -> Alpha_Image_V1_GetStatsResponse {
        try Caller.requireService()
        return .with { $0.imageCount = 0 }
    }
}
