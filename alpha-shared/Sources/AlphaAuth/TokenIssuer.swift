import Crypto
import Foundation
import JWTKit

/// What a refresh token carries of its session: the id the user service stored and the user's token
/// version.
public struct RefreshSession: Sendable, Hashable {
    /// The `jti` of the refresh token.
    public var tokenID: String
    /// The `ver` of the refresh token.
    public var tokenVersion: Int64

    /// A session with the stored id and version.
    public init(tokenID: String, tokenVersion: Int64) {
        self.tokenID = tokenID
        self.tokenVersion = tokenVersion
    }
}

/// An access token and a refresh token issued together.
public struct TokenPair: Sendable, Hashable {
    /// The access token.
    public var accessToken: String
    /// The refresh token.
    public var refreshToken: String
}

/// Signs user tokens with an Ed25519 private key (header `{"alg":"EdDSA","typ":"JWT"}`), through jwt-kit.
///
/// ```swift
/// let issuer = try TokenIssuer(privateKeyPEM: pem, policy: TokenPolicy(settings: settings))
/// let pair = try await issuer.issuePair(for: "alice", session: RefreshSession(tokenID: id, tokenVersion: 0))
/// ```
public struct TokenIssuer: Sendable {
    private let privateKey: Curve25519.Signing.PrivateKey
    private let policy: TokenPolicy
    private let keys: EdDSAKeyCollection

    /// Creates an issuer from a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    public init(privateKeyPEM: String, policy: TokenPolicy) throws {
        self.init(privateKey: try Ed25519PEM.privateKey(pem: privateKeyPEM), policy: policy)
    }

    /// Creates an issuer from a key already in memory.
    public init(privateKey: Curve25519.Signing.PrivateKey, policy: TokenPolicy) {
        self.privateKey = privateKey
        self.policy = policy
        self.keys = EdDSAKeyCollection(EdDSA.PrivateKey(backing: privateKey))
    }

    /// The matching public key, for building a ``TokenVerifier``.
    public var publicKey: Curve25519.Signing.PublicKey { privateKey.publicKey }

    /// The policy the tokens are issued under.
    public var tokenPolicy: TokenPolicy { policy }

    /// Issues a fresh access + refresh pair for `username`; the refresh token carries `session`.
    public func issuePair(for username: String, session: RefreshSession, now: Date = Date()) async throws -> TokenPair {
        TokenPair(
            accessToken: try await issue(for: username, kind: .access, now: now),
            refreshToken: try await issue(for: username, kind: .refresh, now: now, session: session)
        )
    }

    /// Issues one token of `kind` for `username`, with `session`'s id and version when given, else with a
    /// random `jti` (so two tokens issued in the same second still differ).
    public func issue(
        for username: String,
        kind: TokenKind,
        now: Date = Date(),
        session: RefreshSession? = nil
    ) async throws -> String {
        let lifetime = kind == .access ? policy.accessLifetime : policy.refreshLifetime
        let issuedAt = Int(now.timeIntervalSince1970)
        let claims = UserTokenClaims(
            sub: username,
            refresh: kind == .refresh,
            iss: policy.issuer,
            aud: [policy.audience],
            iat: issuedAt,
            exp: issuedAt + Int(lifetime.components.seconds),
            jti: session?.tokenID ?? UUID().uuidString.lowercased(),
            ver: session?.tokenVersion
        )
        return try await sign(claims: claims)
    }

    /// Signs arbitrary claims under `header` (a JSON object); used by tests to forge expired or foreign
    /// tokens. The signature is always EdDSA, whatever `header` names.
    public func sign(claims: UserTokenClaims, header: String = #"{"alg":"EdDSA","typ":"JWT"}"#) async throws -> String {
        let fields = try JSONDecoder().decode(JWTHeader.self, from: Data(header.utf8))
        return try await keys.keys.sign(UserTokenPayload(claims), header: fields)
    }
}
