import AlphaCore
import AlphaServicesTesting
import Crypto
import Foundation
import Testing

@testable import NotificationService

@Suite("VAPID (RFC 8292) and push configuration")
struct VAPIDKeyTests {
    static let scalar = Base64URL.encode(P256.Signing.PrivateKey().rawRepresentation)

    @Test("the public key is the 65-byte uncompressed point, unpadded base64url")
    func publicKeyFormat() throws {
        let key = try VAPIDKey(privateKey: Self.scalar, subject: "mailto:ops@example.org")
        #expect(!key.publicKey.contains("=") && !key.publicKey.contains("+") && !key.publicKey.contains("/"))
        let point = try #require(Base64URL.decode(key.publicKey))
        #expect(point.count == 65 && point.first == 0x04)
    }

    @Test("the Authorization header carries an ES256 JWT a push service verifies: aud = origin, exp ≤ 24 h, sub")
    func authorizationVerifies() async throws {
        let key = try VAPIDKey(privateKey: Self.scalar, subject: "mailto:ops@example.org")
        for (endpoint, origin) in [
            ("https://fcm.googleapis.com/fcm/send/abc:def", "https://fcm.googleapis.com"),
            ("https://Push.Example.NET:8443/wpush/v2/x?y=1", "https://push.example.net:8443"),
            ("http://127.0.0.1:4321/push/1", "http://127.0.0.1:4321"),
        ] {
            let header = try await key.authorization(for: try #require(URL(string: endpoint)))
            let claims = try WebPushReceiver.verifyVAPID(header, origin: origin)
            #expect(claims.subject == "mailto:ops@example.org")
            #expect(claims.publicKey == key.publicKey)
            #expect(claims.expiry.timeIntervalSinceNow > 11 * 3600 && claims.expiry.timeIntervalSinceNow <= 24 * 3600)
        }
        let other = try VAPIDKey(
            privateKey: Base64URL.encode(P256.Signing.PrivateKey().rawRepresentation), subject: "mailto:x@example.org")
        // Someone else's token under our key does not verify.
        let forged = try await other.authorization(for: try #require(URL(string: "https://push.example.net/x")))
            .replacingOccurrences(of: other.publicKey, with: key.publicKey)
        #expect(throws: WebPushReceiver.Failure.self) {
            try WebPushReceiver.verifyVAPID(forged, origin: "https://push.example.net")
        }
    }

    @Test("configuration: the private key is required and checked, the public key must match, sub is a URI")
    func configuration() throws {
        let settings = { (variables: [String: String]) in Settings.dictionary(variables) }
        #expect(throws: ConfigurationError.missing(variable: "VAPID_PRIVATE_KEY")) {
            try PushConfiguration(settings: settings([:]))
        }
        #expect(throws: ConfigurationError.self) {
            try PushConfiguration(settings: settings(["VAPID_PRIVATE_KEY": "not-a-key"]))
        }
        let key = try VAPIDKey(privateKey: Self.scalar, subject: "mailto:x@example.org")
        #expect(
            throws: ConfigurationError.invalid(
                variable: "VAPID_PUBLIC_KEY", reason: "does not belong to VAPID_PRIVATE_KEY")
        ) {
            try PushConfiguration(
                settings: settings([
                    "VAPID_PRIVATE_KEY": Self.scalar,
                    "VAPID_PUBLIC_KEY": Base64URL.encode(P256.Signing.PrivateKey().publicKey.x963Representation),
                ]))
        }
        #expect(throws: ConfigurationError.self) {
            try PushConfiguration(settings: settings(["VAPID_PRIVATE_KEY": Self.scalar, "VAPID_SUBJECT": "ops"]))
        }
        let configured = try PushConfiguration(
            settings: settings([
                "VAPID_PRIVATE_KEY": Self.scalar, "VAPID_PUBLIC_KEY": key.publicKey,
                "PUSH_ALLOW_INSECURE_ENDPOINTS": "true", "PUSH_MAX_ATTEMPTS": "3",
                "EXPO_API_BASE": "http://127.0.0.1:1",
            ]))
        #expect(configured.vapid.publicKey == key.publicKey)
        #expect(configured.vapid.subject == PushConfiguration.defaultSubject)
        #expect(configured.endpointPolicy.allowInsecure)
        #expect(configured.delivery.maxAttempts == 3)
        #expect(configured.ttl == 300)
        let defaults = try PushConfiguration(settings: settings(["VAPID_PRIVATE_KEY": Self.scalar]))
        #expect(!defaults.endpointPolicy.allowInsecure)
        #expect(defaults.expoAPIBase == "https://exp.host")
    }
}
