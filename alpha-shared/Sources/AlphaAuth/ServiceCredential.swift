import Crypto
import Foundation

/// The shared secret that services present to each other for calls made on their own behalf.
///
/// Compared in constant time (HMAC of both sides under a per-process key, then a constant-time
/// digest comparison), so response timing does not leak how much of a guess was right.
public struct ServiceCredential: Sendable {
    /// The metadata key that carries the credential on gRPC calls.
    public static let metadataKey = "x-alpha-service-credential"

    private let secret: String
    private let comparisonKey = SymmetricKey(size: .bits256)

    /// Creates a credential; the secret must be at least 16 characters.
    public init(secret: String) throws(CredentialError) {
        guard secret.utf8.count >= 16 else { throw .tooShort }
        self.secret = secret
    }

    /// The secret, to attach to outgoing calls.
    public var value: String { secret }

    /// Whether `presented` equals the secret, compared in constant time.
    public func matches(_ presented: String) -> Bool {
        let expected = HMAC<SHA256>.authenticationCode(for: Data(secret.utf8), using: comparisonKey)
        let actual = HMAC<SHA256>.authenticationCode(for: Data(presented.utf8), using: comparisonKey)
        return expected == actual  // HashedAuthenticationCode's == is constant-time
    }

    /// Why a credential could not be created.
    public enum CredentialError: Error, Sendable {
        case tooShort
    }
}
