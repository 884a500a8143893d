import AlphaDomain
import Hummingbird

extension Parameters {
    /// The `{username}` path parameter. A value that is not a possible username (R-USERNAME: every stored
    /// user passed it at registration) names no user, so it answers 404 ERR-004 without an upstream call —
    /// which also keeps bytes PostgreSQL cannot store (U+0000) away from it.
    func username() throws -> String {
        let username = try require("username")
        guard ValidationRules.isValidUsername(username) else { throw APIError(.userNotFound) }
        return username
    }
}
