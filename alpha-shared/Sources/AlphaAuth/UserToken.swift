import Foundation

/// Whether a token grants access or only the right to obtain a new pair.
public enum TokenKind: Sendable, Hashable {
    /// Grants access to the API.
    case access
    /// Only obtains a new pair.
    case refresh
}

/// The claims of a user token (JWS compact, EdDSA / Ed25519; signed and verified by jwt-kit).
///
/// `sub` is the identity; `username` duplicates it for clients; `refresh` tells the two kinds apart;
/// `iat`/`exp` are NumericDates in whole seconds; `aud` is always encoded as an array; `jti` is a unique
/// id (a random UUID, or for a refresh token the session id the user service stores); `ver` is the user's
/// token version a refresh token was issued under (a password change moves it on, ending the session).
public struct UserTokenClaims: Codable, Sendable, Hashable {
    /// The subject: the username.
    public var sub: String
    /// The username again, for clients.
    public var username: String
    /// Whether this is a refresh token.
    public var refresh: Bool
    /// The issuer.
    public var iss: String
    /// The audiences.
    public var aud: [String]
    /// Issued at (seconds since the epoch).
    public var iat: Int
    /// Expires at (seconds since the epoch).
    public var exp: Int
    /// The token's unique id (absent only in tokens issued before ids existed).
    public var jti: String?
    /// The user's token version, in refresh tokens.
    public var ver: Int64?

    /// Claims for `sub`; `username` is set to `sub`.
    public init(
        sub: String,
        refresh: Bool,
        iss: String,
        aud: [String],
        iat: Int,
        exp: Int,
        jti: String? = nil,
        ver: Int64? = nil
    ) {
        self.sub = sub
        self.username = sub
        self.refresh = refresh
        self.iss = iss
        self.aud = aud
        self.iat = iat
        self.exp = exp
        self.jti = jti
        self.ver = ver
    }

    /// The kind this token is.
    public var kind: TokenKind { refresh ? .refresh : .access }
}

/// Issuer, audience and lifetimes shared by the token issuer and every verifier of one installation.
///
/// The kit has no built-in policy: an installation sets it in its configuration
/// (``init(settings:)``: `TOKEN_ISSUER`, `TOKEN_AUDIENCE`, `ACCESS_TOKEN_TTL_SECONDS`,
/// `REFRESH_TOKEN_TTL_SECONDS`), the same in every process.
///
/// ```swift
/// let policy = TokenPolicy(issuer: "my-gateway", audience: "my-app", accessLifetime: .seconds(900),
///                          refreshLifetime: .seconds(30 * 24 * 3600))
/// ```
public struct TokenPolicy: Sendable, Hashable {
    /// The `iss` claim written and required.
    public var issuer: String
    /// The audience written (as a one-element array) and required.
    public var audience: String
    /// Lifetime of access tokens.
    public var accessLifetime: Duration
    /// Lifetime of refresh tokens.
    public var refreshLifetime: Duration

    /// A policy from explicit values.
    public init(issuer: String, audience: String, accessLifetime: Duration, refreshLifetime: Duration) {
        self.issuer = issuer
        self.audience = audience
        self.accessLifetime = accessLifetime
        self.refreshLifetime = refreshLifetime
    }
}

/// Why a token was rejected. Deliberately coarse: callers answer all of them the same way.
public enum TokenError: Error, Hashable, Sendable {
    /// Not a JWS compact token with JSON header and claims.
    case malformed
    /// The header names an algorithm other than `EdDSA`.
    case unsupportedAlgorithm
    /// The signature does not verify with the key.
    case badSignature
    /// `exp` has passed.
    case expired
    /// `iss` is not the policy's issuer.
    case wrongIssuer
    /// `aud` does not contain the policy's audience.
    case wrongAudience
    /// An access token where a refresh token is needed, or the reverse (or an empty subject).
    case wrongKind
}
