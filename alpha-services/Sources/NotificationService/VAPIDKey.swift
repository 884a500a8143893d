import AlphaCore
import Crypto
import Foundation
import JWTKit

/// The application server's VAPID identity (RFC 8292): a P-256 key pair and the contact `sub`.
///
/// Every web push carries `Authorization: vapid t=<JWT>, k=<public key>`: an ES256 JWT whose `aud` is
/// the push endpoint's origin, `exp` at most 24 h ahead and `sub` the contact (`mailto:` or `https:`).
///
/// ```swift
/// let vapid = try VAPIDKey(privateKey: base64urlScalar, subject: "mailto:team@example.org")
/// let header = try await vapid.authorization(for: endpoint)
/// ```
///
/// The JWT is made by jwt-kit (`ES256PrivateKey`), as the kit's own user tokens are.
public struct VAPIDKey: Sendable {
    /// How far ahead `exp` is set (RFC 8292 §2: at most 24 h).
    public static let tokenLifetime: TimeInterval = 12 * 3600

    public let signingKey: P256.Signing.PrivateKey
    /// The contact sent as `sub`.
    public let subject: String

    public init(signingKey: P256.Signing.PrivateKey, subject: String) {
        self.signingKey = signingKey
        self.subject = subject
    }

    /// The key from its raw 32-byte scalar in unpadded base64url (`VAPID_PRIVATE_KEY`).
    public init(privateKey: String, subject: String) throws(ConfigurationError) {
        guard let scalar = Base64URL.decode(privateKey), scalar.count == 32,
            let key = try? P256.Signing.PrivateKey(rawRepresentation: scalar)
        else {
            throw .malformed(
                variable: "VAPID_PRIVATE_KEY", value: "(secret)",
                expected: "a P-256 private scalar, 32 bytes, unpadded base64url")
        }
        self.init(signingKey: key, subject: subject)
    }

    /// The public key as clients need it for `applicationServerKey` (E28): the 65-byte uncompressed
    /// point, unpadded base64url.
    public var publicKey: String { Base64URL.encode(signingKey.publicKey.x963Representation) }

    /// The `Authorization` header value for a push to `endpoint`.
    public func authorization(for endpoint: URL, now: Date = Date()) async throws -> String {
        "vapid t=\(try await token(audience: Self.origin(of: endpoint), now: now)), k=\(publicKey)"
    }

    /// The VAPID claims; nothing to check when signing.
    private struct Claims: JWTPayload {
        var aud: String
        var exp: Int
        var sub: String

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// The signed JWT for `audience` (an origin such as `https://push.example.net`): header
    /// `{"alg":"ES256","typ":"JWT"}`, signature R ‖ S (RFC 7518 §3.4).
    public func token(audience: String, now: Date = Date()) async throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // A collection per token: adding a key to jwt-kit's (actor) collection is async, and one push's
        // signature costs far more than the collection.
        let keys = await JWTKeyCollection().add(
            ecdsa: try ES256PrivateKey(backing: signingKey), serializer: DefaultJWTSerializer(jsonEncoder: encoder))
        let claims = Claims(aud: audience, exp: Int(now.timeIntervalSince1970 + Self.tokenLifetime), sub: subject)
        return try await keys.sign(claims)
    }

    /// `scheme://host[:port]` of a URL, the VAPID audience (RFC 8292 §2).
    static func origin(of url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? "https"
        let host = url.host?.lowercased() ?? ""
        let bracketed = host.contains(":") ? "[\(host)]" : host
        let defaultPort = scheme == "https" ? 443 : 80
        if let port = url.port, port != defaultPort {
            return "\(scheme)://\(bracketed):\(port)"
        }
        return "\(scheme)://\(bracketed)"
    }
}
