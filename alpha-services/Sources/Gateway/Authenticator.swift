import AlphaAuth
import AlphaDomain
import HTTPTypes
import Hummingbird

/// Verifies the `Authorization: Bearer <access token>` header of protected routes.
///
/// The header must be exactly two space-separated parts with the `Bearer` scheme (D57); the token must
/// be an access token (not a refresh token) with a valid EdDSA signature, issuer, audience and expiry.
/// Anything else answers 401 ERR-014.
struct Authenticator: Sendable {
    // Each token's signature is verified once per process, then answered from the cache until it expires.
    let verifier: CachingTokenVerifier

    init(verifier: TokenVerifier) {
        self.verifier = CachingTokenVerifier(verifier)
    }

    /// The caller's username and raw token.
    func authenticate(_ request: Request) throws(APIError) -> (username: String, token: String) {
        guard let header = request.headers[.authorization] else { throw APIError(.unauthorized) }
        let parts = header.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == "Bearer" else { throw APIError(.unauthorized) }
        let token = String(parts[1])
        guard let claims = try? verifier.verify(token, kind: .access) else { throw APIError(.unauthorized) }
        return (claims.sub, token)
    }
}
