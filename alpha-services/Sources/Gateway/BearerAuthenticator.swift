import AlphaAuth
import AlphaDomain
import Hummingbird
import HummingbirdAuth

/// hummingbird-auth's authenticator for the `Authorization: Bearer <access token>` header: fills
/// ``GatewayRequestContext/identity`` with the signed-in user.
///
/// - No `Authorization` header: no identity; the request goes on (a protected group's
///   `IsAuthenticatedMiddleware` then answers 401 ERR-014, an optional one serves it anonymously).
/// - Any other header must be exactly two space-separated parts with the `Bearer` scheme (D57) and carry
///   an access token (not a refresh token) with a valid EdDSA signature, issuer, audience and expiry;
///   anything else answers 401 ERR-014 at once.
struct BearerAuthenticator: AuthenticatorMiddleware {
    typealias Context = GatewayRequestContext
    typealias Identity = AuthenticatedUser

    // Each token's signature is verified once per process, then answered from the cache until it expires.
    let verifier: CachingTokenVerifier

    func authenticate(request: Request, context: Context) async throws -> AuthenticatedUser? {
        guard request.headers[.authorization] != nil else { return nil }
        // `bearer` is the text after "Bearer "; a space in it means more than two parts.
        guard let bearer = request.headers.bearer, !bearer.token.contains(" "),
            let claims = try? await verifier.verify(bearer.token, kind: .access)
        else {
            throw APIError(.unauthorized)
        }
        return AuthenticatedUser(username: claims.sub, token: bearer.token)
    }
}
