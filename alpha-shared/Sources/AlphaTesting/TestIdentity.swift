import AlphaAuth
import AlphaGRPC
import Crypto
import Foundation

/// A throwaway Ed25519 key pair, token policy, token issuer/verifier and service credential for tests.
///
/// ```swift
/// let identity = TestIdentity()
/// let token = await identity.accessToken(for: "alice")
/// ```
public struct TestIdentity: Sendable {
    /// Signs tokens with the throwaway key under ``policy``.
    public let issuer: TokenIssuer
    /// Verifies them.
    public let verifier: TokenVerifier
    /// A random service credential.
    public let credential: ServiceCredential
    /// The private key, PKCS#8 PEM (`JWT_PRIVATE_KEY`).
    public let privateKeyPEM: String
    /// The public key, SPKI PEM (`JWT_PUBLIC_KEY`).
    public let publicKeyPEM: String
    /// The token policy of the issuer and verifier (``environment`` carries it as `TOKEN_*`).
    public let policy: TokenPolicy

    /// A fresh identity whose tokens follow `policy` (by default ``AlphaAuth/TokenPolicy/testing``).
    public init(policy: TokenPolicy = .testing) {
        let key = Curve25519.Signing.PrivateKey()
        self.policy = policy
        self.issuer = TokenIssuer(privateKey: key, policy: policy)
        self.verifier = TokenVerifier(publicKey: key.publicKey, policy: policy)
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
    public func accessToken(for username: String) async -> String {
        try! await issuer.issue(for: username, kind: .access)
    }

    /// The identity variables a service process needs (`JWT_PUBLIC_KEY`, `SERVICE_CREDENTIAL`, `TOKEN_*`, …).
    public var environment: [String: String] {
        policy.environment.merging([
            "JWT_PUBLIC_KEY": publicKeyPEM, "JWT_PRIVATE_KEY": privateKeyPEM, "SERVICE_CREDENTIAL": credential.value,
        ]) { _, new in new }
    }
}

extension TokenPolicy {
    /// A policy for tests (issuer `alpha-testing-issuer`, audience `alpha-testing`, 1 h access, 1 d refresh):
    /// deliberately no installation's values, so a test that depends on them has to say so.
    public static let testing = TokenPolicy(
        issuer: "alpha-testing-issuer",
        audience: "alpha-testing",
        accessLifetime: .seconds(3600),
        refreshLifetime: .seconds(86_400)
    )
}
