import Foundation

/// Whether a token grants access or only the right to obtain a new pair.
public enum TokenKind: Sendable, Hashable {
    case access
    case refresh
}

/// The claims of a user token (JWS compact, EdDSA / Ed25519).
///
/// `sub` is the identity; `username` duplicates it for clients; `refresh` tells the two kinds apart;
/// `iat`/`exp` are NumericDates in whole seconds; `aud` is always encoded as an array; `jti` is a unique
/// id (a random UUID, or for a refresh token the session id the user service stores); `ver` is the user's
/// token version a refresh token was issued under (a password change moves it on, ending the session).
public struct UserTokenClaims: Codable, Sendable, Hashable {
    public var sub: String
    public var username: String
    public var refresh: Bool
    public var iss: String
    public var aud: [String]
    public var iat: Int
    public var exp: Int
    /// The token's unique id (absent only in tokens issued before ids existed).
    public var jti: String?
    /// The user's token version, in refresh tokens.
    public var ver: Int64?

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

/// Issuer, audience and lifetimes shared by the token issuer and every verifier.
public struct TokenPolicy: Sendable, Hashable {
    /// The `iss` claim written and required.
    public var issuer: String
    /// The audience written (as a one-element array) and required.
    public var audience: String
    /// Lifetime of access tokens.
    public var accessLifetime: Duration
    /// Lifetime of refresh tokens.
    public var refreshLifetime: Duration

    /// Alpha's policy: issuer `alpha-api-gateway`, audience `server-alpha`, 24 h access, 7 d refresh.
    public static let alpha = TokenPolicy(
        issuer: "alpha-api-gateway",
        audience: "server-alpha",
        accessLifetime: .seconds(24 * 3600),
        refreshLifetime: .seconds(7 * 24 * 3600)
    )

    public init(issuer: String, audience: String, accessLifetime: Duration, refreshLifetime: Duration) {
        self.issuer = issuer
        self.audience = audience
        self.accessLifetime = accessLifetime
        self.refreshLifetime = refreshLifetime
    }
}

/// Why a token was rejected. Deliberately coarse: callers answer all of them the same way.
public enum TokenError: Error, Hashable, Sendable {
    case malformed
    case unsupportedAlgorithm
    case badSignature
    case expired
    case wrongIssuer
    case wrongAudience
    case wrongKind
}

enum Base64URL {
    static func encode(_ data: some Sequence<UInt8>) -> String {
        Data(data).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ string: some StringProtocol) -> Data? {
        guard string.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { return nil }
        var base64 = string.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
