import Crypto
import Foundation

/// Web Push message encryption, RFC 8291 (`Content-Encoding: aes128gcm`, RFC 8188), one record.
///
/// The payload is encrypted for one subscription: an ephemeral P-256 key pair of the application server
/// is agreed with the subscription's `p256dh` key (ECDH), mixed with its `auth` secret (HKDF-SHA-256),
/// and the derived key and nonce seal the padded plaintext with AES-128-GCM. The body starts with the
/// RFC 8188 header: salt (16) ‖ record size (4) ‖ key id length (1) ‖ key id (the 65-byte ephemeral
/// public key).
///
/// ```swift
/// let body = try WebPushEncryption.encrypt(payload, p256dh: keys.p256dh, auth: keys.auth)
/// ```
public enum WebPushEncryption {
    /// The record size written in the header (a single record always fits: payloads stay far below it).
    public static let recordSize: UInt32 = 4096
    /// Largest plaintext one record carries: record size − 16-byte tag − 1 delimiter byte − the
    /// 86-byte header that push services count against their 4096-byte limit.
    public static let maxPlaintextBytes = 3993

    public enum Failure: Error, Equatable {
        /// `p256dh` is not an uncompressed P-256 point.
        case invalidPublicKey
        /// `auth` is not 16 bytes.
        case invalidAuthSecret
        /// The plaintext does not fit one record.
        case payloadTooLarge
        /// Sealing failed (not expected with valid keys).
        case sealingFailed
    }

    /// Encrypts `plaintext` for the subscription with public key `p256dh` (65 bytes) and secret `auth`
    /// (16 bytes), with a fresh ephemeral key and salt.
    public static func encrypt(_ plaintext: Data, p256dh: Data, auth: Data) throws(Failure) -> Data {
        try encrypt(
            plaintext, p256dh: p256dh, auth: auth,
            serverKey: P256.KeyAgreement.PrivateKey(),
            salt: Data((0..<16).map { _ in UInt8.random(in: .min ... .max) })
        )
    }

    /// Encrypts with a given server key and salt: for the RFC 8291 test vector; senders use
    /// ``encrypt(_:p256dh:auth:)``.
    static func encrypt(
        _ plaintext: Data,
        p256dh: Data,
        auth: Data,
        serverKey: P256.KeyAgreement.PrivateKey,
        salt: Data
    ) throws(Failure) -> Data {
        guard plaintext.count <= maxPlaintextBytes else { throw .payloadTooLarge }
        guard auth.count == 16 else { throw .invalidAuthSecret }
        guard p256dh.count == 65, let userAgentKey = try? P256.KeyAgreement.PublicKey(x963Representation: p256dh)
        else { throw .invalidPublicKey }
        guard let shared = try? serverKey.sharedSecretFromKeyAgreement(with: userAgentKey) else {
            throw .invalidPublicKey
        }
        let serverPublic = serverKey.publicKey.x963Representation
        let (key, nonce) = contentKeys(
            shared: shared, auth: auth, userAgentPublic: p256dh, serverPublic: serverPublic, salt: salt)
        // One record: the plaintext and the last-record delimiter 0x02, no padding.
        var padded = plaintext
        padded.append(0x02)
        guard let sealed = try? AES.GCM.seal(padded, using: key, nonce: nonce) else { throw .sealingFailed }
        var body = Data()
        body.append(salt)
        withUnsafeBytes(of: recordSize.bigEndian) { body.append(contentsOf: $0) }
        body.append(UInt8(serverPublic.count))
        body.append(serverPublic)
        body.append(sealed.ciphertext)
        body.append(sealed.tag)
        return body
    }

    /// RFC 8291 §3.4 then RFC 8188 §2.2: IKM from the ECDH secret and `auth`, then the content key and nonce.
    static func contentKeys(
        shared: SharedSecret,
        auth: Data,
        userAgentPublic: Data,
        serverPublic: Data,
        salt: Data
    ) -> (key: SymmetricKey, nonce: AES.GCM.Nonce) {
        let keyInfo = Data("WebPush: info".utf8) + [0] + userAgentPublic + serverPublic
        let ikm = shared.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: auth, sharedInfo: keyInfo, outputByteCount: 32)
        let prk = HKDF<SHA256>.extract(inputKeyMaterial: ikm, salt: salt)
        let key = HKDF<SHA256>.expand(
            pseudoRandomKey: prk, info: Data("Content-Encoding: aes128gcm".utf8) + [0], outputByteCount: 16)
        let nonceKey = HKDF<SHA256>.expand(
            pseudoRandomKey: prk, info: Data("Content-Encoding: nonce".utf8) + [0], outputByteCount: 12)
        let nonce = try! AES.GCM.Nonce(data: nonceKey.withUnsafeBytes { Data($0) })  // 12 bytes by construction
        return (key, nonce)
    }
}
