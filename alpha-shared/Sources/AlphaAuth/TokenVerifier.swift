import Crypto
import Foundation

/// Verifies user tokens with an Ed25519 public key.
///
/// The algorithm is pinned: the header must say `EdDSA` (nothing else is tried, `none` included); then
/// the signature, `exp` (no leeway, required), `iss`, `aud` and the token kind are checked.
///
/// ```swift
/// let verifier = try TokenVerifier(publicKeyPEM: pem, policy: TokenPolicy(settings: settings))
/// let claims = try verifier.verify(token, kind: .access)
/// print(claims.sub)
/// ```
public struct TokenVerifier: Sendable {
    private let publicKey: Curve25519.Signing.PublicKey
    private let policy: TokenPolicy

    /// Creates a verifier from an SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
    public init(publicKeyPEM: String, policy: TokenPolicy) throws {
        self.publicKey = try Ed25519PEM.publicKey(pem: publicKeyPEM)
        self.policy = policy
    }

    /// Creates a verifier from a key already in memory.
    public init(publicKey: Curve25519.Signing.PublicKey, policy: TokenPolicy) {
        self.publicKey = publicKey
        self.policy = policy
    }

    private struct Header: Decodable {
        var alg: String
        var typ: String?
    }

    /// Returns the claims of `token` when it is valid and of `kind` at `now`; throws ``TokenError`` otherwise.
    public func verify(_ token: String, kind: TokenKind, now: Date = Date()) throws(TokenError) -> UserTokenClaims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Base64URL.decode(parts[0]),
            let payloadData = Base64URL.decode(parts[1]), let signature = Base64URL.decode(parts[2])
        else { throw .malformed }
        guard let header = try? JSONDecoder().decode(Header.self, from: headerData) else { throw .malformed }
        guard header.alg == "EdDSA", header.typ == nil || header.typ == "JWT" else { throw .unsupportedAlgorithm }
        let signingInput = Data("\(parts[0]).\(parts[1])".utf8)
        guard publicKey.isValidSignature(signature, for: signingInput) else { throw .badSignature }
        guard let claims = try? JSONDecoder().decode(UserTokenClaims.self, from: payloadData) else {
            throw .malformed
        }
        guard Double(claims.exp) > now.timeIntervalSince1970 else { throw .expired }
        guard claims.iss == policy.issuer else { throw .wrongIssuer }
        guard claims.aud.contains(policy.audience) else { throw .wrongAudience }
        guard claims.kind == kind, !claims.sub.isEmpty else { throw .wrongKind }
        return claims
    }
}
