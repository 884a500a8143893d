import Foundation

/// A ``TokenVerifier`` that verifies each token's signature once per process.
///
/// The first presentation of a token is verified in full (algorithm, signature, claims); its claims
/// are then cached under the SHA-256 of the token (``VerifiedTokenCache``, bounded). Later
/// presentations of the same bytes skip the signature check but are still checked for expiry (no
/// leeway, against the cached `exp`) and for the kind asked for, so a hit answers exactly what a full
/// verification would. Failures are never cached. Issuer and audience are part of what the first
/// verification proved and cannot change for the same bytes.
///
/// ```swift
/// let verifier = CachingTokenVerifier(try TokenVerifier(publicKeyPEM: pem))
/// let claims = try await verifier.verify(token, kind: .access)
/// ```
public struct CachingTokenVerifier: Sendable {
    /// The full verifier, used on a miss.
    public let verifier: TokenVerifier
    /// The verified tokens.
    public let cache: VerifiedTokenCache

    /// A caching front for `verifier`, storing verified claims in `cache` (by default a fresh one).
    public init(_ verifier: TokenVerifier, cache: VerifiedTokenCache = VerifiedTokenCache()) {
        self.verifier = verifier
        self.cache = cache
    }

    /// Returns the claims of `token` when it is valid and of `kind` at `now`; throws ``TokenError`` otherwise.
    public func verify(_ token: String, kind: TokenKind, now: Date = Date()) async throws(TokenError)
        -> UserTokenClaims
    {
        let key = VerifiedTokenCache.key(token)
        if let claims = cache.claims(for: key) {
            guard Double(claims.exp) > now.timeIntervalSince1970 else {
                cache.remove(key)
                throw .expired
            }
            guard claims.kind == kind else { throw .wrongKind }
            return claims
        }
        let claims = try await verifier.verify(token, kind: kind, now: now)
        cache.store(claims, for: key)
        return claims
    }
}
