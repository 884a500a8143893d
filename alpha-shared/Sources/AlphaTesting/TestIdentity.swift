import AlphaAuth
import AlphaGRPC
import Crypto
import Foundation

/// A throwaway Ed25519 key pair, token issuer/verifier and service credential for tests.
public struct TestIdentity: Sendable {
    public let issuer: TokenIssuer
    public let verifier: TokenVerifier
    public let credential: ServiceCredential
    public let privateKeyPEM: String
    public let publicKeyPEM: String

    public init() {
        let key = Curve25519.Signing.PrivateKey()
        self.issuer = TokenIssuer(privateKey: key)
        self.verifier = TokenVerifier(publicKey: key.publicKey)
        self.privateKeyPEM = Ed25519PEM.pem(for: key)
        self.publicKeyPEM = Ed25519PEM.pem(for: key.publicKey)
        // A random 32-byte hex secret, as `make run` generates.
        let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        self.credential = try! ServiceCredential(secret: secret)
    }

    /// The identity interceptor a server under test should use.
    public var interceptor: IdentityInterceptor {
        IdentityInterceptor(verifier: verifier, credential: credential)
    }

    /// An access token for `username`.
    public func accessToken(for username: String) -> String {
        try! issuer.issue(for: username, kind: .access)
    }

    /// The identity variables a service process needs (`JWT_PUBLIC_KEY`, `SERVICE_CREDENTIAL`, …).
    public var environment: [String: String] {
        ["JWT_PUBLIC_KEY": publicKeyPEM, "JWT_PRIVATE_KEY": privateKeyPEM, "SERVICE_CREDENTIAL": credential.value]
    }
}
