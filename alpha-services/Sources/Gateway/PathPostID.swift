import AlphaDomain
import Hummingbird

extension Parameters {
    /// The `{postId}` path parameter as the lowercase UUID string; a value that is not a UUID names no
    /// post (404 ERR-020, R-PATH-UUID).
    func postID() throws -> String {
        guard let id = ValidationRules.pathUUID(try require("postId")) else { throw APIError(.postNotFound) }
        return id.uuidString.lowercased()
    }
}
