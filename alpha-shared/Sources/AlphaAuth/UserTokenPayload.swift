import JWTKit

/// ``UserTokenClaims`` as jwt-kit's payload, encoded and decoded as the claims themselves.
///
/// Its `verify(using:)` checks nothing: ``TokenVerifier`` checks expiry, issuer, audience and kind
/// against its policy and the clock it is given, after jwt-kit has verified the signature.
struct UserTokenPayload: JWTPayload {
    var claims: UserTokenClaims

    init(_ claims: UserTokenClaims) {
        self.claims = claims
    }

    init(from decoder: any Decoder) throws {
        self.claims = try UserTokenClaims(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        try claims.encode(to: encoder)
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
