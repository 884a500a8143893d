import Crypto

/// A throwaway VAPID key pair in the form the notification service reads (`VAPID_PRIVATE_KEY`,
/// `VAPID_PUBLIC_KEY`: the 32-byte scalar and the 65-byte uncompressed point, unpadded base64url).
public struct VAPIDTestKey: Sendable {
    public let privateKey: String
    public let publicKey: String

    public init() {
        let key = P256.Signing.PrivateKey()
        privateKey = WebPushReceiver.base64url(key.rawRepresentation)
        publicKey = WebPushReceiver.base64url(key.publicKey.x963Representation)
    }

    /// The variables for the notification service's environment.
    public var environment: [String: String] {
        ["VAPID_PRIVATE_KEY": privateKey, "VAPID_PUBLIC_KEY": publicKey]
    }
}
