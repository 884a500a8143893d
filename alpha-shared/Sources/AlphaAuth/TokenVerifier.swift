import Crypto
import Foundation
import JWTKit

/// Verifies user tokens with an Ed25519 public key, through jwt-kit.
///
/// The algorithm is pinned: the header must say `EdDSA` (and `typ`, when present, `JWT`) before
/// anything else is looked at — jwt-kit itself would check any `alg` against the one key it holds, and
/// `none` is never tried. Then jwt-kit checks the signature and decodes the claims, and `exp` (no leeway,
/// required), `iss`, `aud` and the token kind are checked against the policy.
///
/// ```swift
/// let verifier = try TokenVerifier(publicKeyPEM: pem, policy: TokenPolicy(settings: settings))
/// let claims = try await verifier.verify(token, kind: .access)
/// print(claims.sub)
/// ```
public struct TokenVerifier: Sendable {
    private let policy: TokenPolicy
    private let keys: EdDSAKeyCollection

    /// Creates a verifier from an SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
    public init(publicKeyPEM: String, policy: TokenPolicy) throws {
        self.init(publicKey: try Ed25519PEM.publicKey(pem: publicKeyPEM), policy: policy)
    }

    /// Creates a verifier from a key already in memory.
    public init(publicKey: Curve25519.Signing.PublicKey, policy: TokenPolicy) {
        self.policy = policy
        self.keys = EdDSAKeyCollection(EdDSA.PublicKey(backing: publicKey))
    }

    /// A payload that decodes from any JSON object, to read a header without trusting the claims.
    private struct AnyClaims: JWTPayload {
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// Returns the claims of `token` when it is valid and of `kind` at `now`; throws ``TokenError`` otherwise.
    public func verify(_ token: String, kind: TokenKind, now: Date = Date()) async throws(TokenError)
        -> UserTokenClaims
    {
        guard let header = try? DefaultJWTParser().parse(Array(token.utf8), as: AnyClaims.self).header else {
            throw .malformed
        }
        guard header.alg == "EdDSA", header.fields["typ"] == nil || header.typ == "JWT" else {
            throw .unsupportedAlgorithm
        }
        let claims: UserTokenClaims
        do {
            claims = try await keys.keys.verify(token, as: UserTokenPayload.self).claims
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw .badSignature
        } catch {
            throw .malformed
        }
        guard Double(claims.exp) > now.timeIntervalSince1970 else { throw .expired }
        guard claims.iss == policy.issuer else { throw .wrongIssuer }
        guard claims.aud.contains(policy.audience) else { throw .wrongAudience }
        guard claims.kind == kind, !claims.sub.isEmpty else { throw .wrongKind }
        return claims
    }
}
