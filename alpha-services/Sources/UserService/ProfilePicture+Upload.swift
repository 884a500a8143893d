import AlphaAuth
import AlphaContracts
import AlphaCore
import Foundation

extension ProfilePicture {
    /// The uploaded picture a request carries (E02, E10), or `nil` when it carries none.
    ///
    /// Only the gateway may set one (service credential): it stored the image in the image service
    /// first, so the URL points at a real image. A user calling directly could otherwise point their
    /// profile at any URL.
    static func uploaded(_ picture: Alpha_User_V1_Picture?) throws -> ProfilePicture? {
        guard let picture else { return nil }
        try Caller.requireService()
        guard !picture.url.isEmpty, picture.url.utf8.count <= 255, picture.width > 0, picture.height > 0 else {
            throw ServiceError.badRequest("invalid picture")
        }
        return ProfilePicture(url: picture.url, width: Int(picture.width), height: Int(picture.height))
    }

    /// The image service's upload id that must come with an uploaded picture (lowercase UUID): the account
    /// or profile transaction writes its commit into the outbox.
    static func uploadID(_ id: String) throws -> String {
        guard let uuid = UUID(uuidString: id) else { throw ServiceError.badRequest("invalid picture upload id") }
        return uuid.uuidString.lowercased()
    }
}
