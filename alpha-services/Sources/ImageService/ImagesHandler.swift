import AlphaAuth
import AlphaContracts
import AlphaCore
import AlphaDomain
import Foundation
import GRPCCore
import Logging

/// `alpha.image.v1.Images`: validated uploads, two-phase replacement, deletion and serving.
///
/// Every RPC needs a verified caller (the kit's identity interceptor). A call carrying a user token acts
/// for that user: a profile picture only for themselves, and commit/discard/delete only of their own
/// uploads. A call with only the service credential acts for the system (registration, E25).
public struct ImagesHandler {
    let store: any ImageStore
    let intake: ImageIntake
    let configuration: ImageServiceConfiguration
    let logger: Logger

    public init(store: any ImageStore, configuration: ImageServiceConfiguration, logger: Logger) {
        self.store = store
        self.intake = ImageIntake(configuration: configuration)
        self.configuration = configuration
        self.logger = logger
    }
}

extension ImagesHandler: Alpha_Image_V1_Images.SimpleServiceProtocol {
    public func getStats(
        request: Alpha_Image_V1_GetStatsRequest,
        context: ServerContext
    ) async throws -> Alpha_Image_V1_GetStatsResponse {
        try Caller.requireService()
        let count = try await store.count()
        return .with { $0.imageCount = Int64(count) }
    }

    public func uploadImage(
        request: Alpha_Image_V1_UploadImageRequest,
        context: ServerContext
    ) async throws -> Alpha_Image_V1_UploadImageResponse {
        let owner = try Self.owner(request.kind, request.owner)
        let user = Caller.current?.username
        if let user {
            switch owner.kind {
            case .profile:
                guard owner.id == user else { throw RPCError.notYours("profile \(owner.id)") }
            case .post:
                // The first uploader of a post id owns it.
                guard try await store.uploaders(of: owner).allSatisfy({ $0 == user }) else {
                    throw RPCError.notYours("post \(owner.id)")
                }
            }
        }
        let accepted: ImageIntake.Accepted
        do {
            accepted = try await intake.accept(request.data)
        } catch let refusal as ImageIntake.Refusal {
            logger.info("image refused", metadata: ["owner": "\(owner.id)", "reason": "\(refusal)"])
            throw ServiceError.badRequest("not an acceptable image: \(refusal)")
        }
        let image = NewImage(
            owner: owner,
            uploadedBy: user,
            format: accepted.format,
            width: accepted.width,
            height: accepted.height,
            bytes: accepted.bytes
        )
        let uploadID = try await store.insert(image, commit: request.commit, pendingTTL: configuration.pendingTTL)
        let name = owner.name(for: accepted.format)
        return .with {
            $0.uploadID = uploadID.uuidString.lowercased()
            $0.name = name
            $0.url = configuration.url(forName: name)
            $0.width = Int32(accepted.width)
            $0.height = Int32(accepted.height)
        }
    }

    public func commitImage(
        request: Alpha_Image_V1_CommitImageRequest,
        context: ServerContext
    ) async throws -> Alpha_Image_V1_CommitImageResponse {
        guard let uploadID = UUID(uuidString: request.uploadID) else {
            throw ServiceError.imageNotFound("upload \(request.uploadID)")
        }
        // An expected owner, when the caller names one, is checked like the upload id: a mismatch is not found.
        let expected = request.owner.isEmpty ? nil : try Self.owner(request.kind, request.owner)
        let outcome = try await store.commit(
            uploadID: uploadID, owner: expected, ownerVersion: max(0, request.ownerVersion),
            actingFor: Caller.current?.username)
        switch outcome {
        case .done(let commit):
            return .with {
                $0.name = commit.name
                $0.stale = commit.stale
            }
        case .notFound: throw ServiceError.imageNotFound("upload \(request.uploadID)")
        case .forbidden: throw RPCError.notYours("upload \(request.uploadID)")
        }
    }

    public func discardImage(
        request: Alpha_Image_V1_DiscardImageRequest,
        context: ServerContext
    ) async throws -> Alpha_Image_V1_DiscardImageResponse {
        guard let uploadID = UUID(uuidString: request.uploadID) else { return .init() }
        if case .forbidden = try await store.discard(uploadID: uploadID, actingFor: Caller.current?.username) {
            throw RPCError.notYours("upload \(request.uploadID)")
        }
        return .init()
    }

    public func deleteImages(
        request: Alpha_Image_V1_DeleteImagesRequest,
        context: ServerContext
    ) async throws -> Alpha_Image_V1_DeleteImagesResponse {
        let owner = try Self.owner(request.kind, request.owner)
        var actingFor = Caller.current?.username
        if owner.kind == .profile, let user = actingFor {
            guard owner.id == user else { throw RPCError.notYours("profile \(owner.id)") }
            actingFor = nil  // their profile pictures, including the one stored at registration
        }
        let deleted = try await store.deleteAll(
            of: owner, ownerVersion: max(0, request.ownerVersion), actingFor: actingFor)
        return .with { $0.deleted = Int32(clamping: deleted) }
    }

    public func getImage(
        request: Alpha_Image_V1_GetImageRequest,
        context: ServerContext
    ) async throws -> Alpha_Image_V1_GetImageResponse {
        // Names are only ever compared with stored names (no file system): nothing else is reachable.
        guard !request.name.isEmpty, request.name.utf8.count <= 64,
            let image = try await store.image(
                named: request.name, unlessETag: request.ifNoneMatch.isEmpty ? nil : request.ifNoneMatch)
        else { throw ServiceError.imageNotFound(request.name) }
        return .with {
            $0.contentType = image.contentType
            $0.etag = image.etag
            $0.notModified = !request.ifNoneMatch.isEmpty && request.ifNoneMatch == image.etag
            $0.data = image.bytes
        }
    }

    /// The owner named by a request: a valid username, or a lowercase canonical post id.
    static func owner(_ kind: Alpha_Image_V1_ImageOwnerKind, _ id: String) throws -> ImageOwner {
        switch kind {
        case .profile:
            guard ValidationRules.isValidUsername(id) else { throw ServiceError.badRequest("bad username \(id)") }
            return ImageOwner(kind: .profile, id: id)
        case .post:
            guard ValidationRules.isValidUUID4(id) else {
                throw ServiceError.badRequest("bad post id \(id)")
            }
            return ImageOwner(kind: .post, id: id)
        case .UNRECOGNIZED:
            throw ServiceError.badRequest("unknown owner kind")
        }
    }
}
