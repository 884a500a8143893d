import Crypto
import Foundation

/// The user agent's side of Web Push, written independently of the server's code so that tests check
/// the server against the RFCs, not against itself: RFC 8291 decryption and RFC 8292 VAPID verification.
public enum WebPushReceiver {
    public enum Failure: Error, Equatable {
        case malformedMessage
        case badVAPID(String)
    }

    /// Decrypts an `aes128gcm` body (RFC 8188 header + one record) with the subscription's private key and
    /// auth secret.
    public static func decrypt(
        _ body: Data,
        privateKey: P256.KeyAgreement.PrivateKey,
        auth: Data
    ) throws(Failure) -> Data {
        let bytes = [UInt8](body)
        guard bytes.count > 21 else { throw .malformedMessage }
        let recordSize = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let keyIDLength = Int(bytes[20])
        guard recordSize >= 18, keyIDLength == 65, bytes.count >= 21 + 65 + 17 else { throw .malformedMessage }
        let salt = Data(bytes[0..<16])
        let senderPublic = Data(bytes[21..<86])
        let record = Data(bytes[86...])
        guard record.count <= recordSize,
            let senderKey = try? P256.KeyAgreement.PublicKey(x963Representation: senderPublic),
            let ecdh = try? privateKey.sharedSecretFromKeyAgreement(with: senderKey)
        else { throw .malformedMessage }
        // RFC 8291 §3.3–3.4: IKM = HKDF(auth, ecdh, "WebPush: info" 0x00 ua_public as_public, 32).
        let receiverPublic = privateKey.publicKey.x963Representation
        var info = Data("WebPush: info".utf8)
        info.append(0)
        info.append(receiverPublic)
        info.append(senderPublic)
        let ikm = ecdh.hkdfDerivedSymmetricKey(using: SHA256.self, salt: auth, sharedInfo: info, outputByteCount: 32)
        // RFC 8188 §2.2–2.3: PRK = HKDF-Extract(salt, IKM); CEK (16) and NONCE (12) from it.
        let prk = HMAC<SHA256>.authenticationCode(
            for: ikm.withUnsafeBytes { Data($0) }, using: SymmetricKey(data: salt))
        func expand(_ label: String, _ length: Int) -> Data {
            var input = Data(label.utf8)
            input.append(0)
            input.append(1)  // one HMAC block is enough for ≤ 32 bytes
            let block = HMAC<SHA256>.authenticationCode(for: input, using: SymmetricKey(data: Data(prk)))
            return Data(block).prefix(length)
        }
        let cek = SymmetricKey(data: expand("Content-Encoding: aes128gcm", 16))
        let nonce = expand("Content-Encoding: nonce", 12)
        guard let box = try? AES.GCM.SealedBox(combined: nonce + record),
            let opened = try? AES.GCM.open(box, using: cek)
        else { throw .malformedMessage }
        var plaintext = [UInt8](opened)
        while plaintext.last == 0 { plaintext.removeLast() }
        guard plaintext.popLast() == 0x02 else { throw .malformedMessage }  // last-record delimiter
        return Data(plaintext)
    }

    /// The verified claims of a VAPID `Authorization` header.
    public struct VAPIDClaims: Sendable, Hashable {
        public var audience: String
        public var expiry: Date
        public var subject: String
        /// The application server key (`k`), base64url.
        public var publicKey: String
    }

    /// Verifies `Authorization: vapid t=<JWT>, k=<key>` (RFC 8292): ES256 signature by `k`, `aud` equal to
    /// `origin`, `exp` in the future and at most 24 h away, `sub` a `mailto:` or `https:` URI.
    public static func verifyVAPID(_ header: String?, origin: String, now: Date = Date()) throws(Failure) -> VAPIDClaims
    {
        guard let header, header.hasPrefix("vapid ") else { throw .badVAPID("no vapid authorization") }
        var parameters: [String: String] = [:]
        for part in header.dropFirst(6).split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2 { parameters[String(pair[0])] = String(pair[1]) }
        }
        guard let token = parameters["t"], let key = parameters["k"] else { throw .badVAPID("t or k missing") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let headerJSON = base64url(parts[0]), let claimsJSON = base64url(parts[1]),
            let signature = base64url(parts[2]), let keyBytes = base64url(key),
            let publicKey = try? P256.Signing.PublicKey(x963Representation: keyBytes),
            let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature)
        else { throw .badVAPID("malformed token or key") }
        guard publicKey.isValidSignature(ecdsa, for: Data((parts[0] + "." + parts[1]).utf8)) else {
            throw .badVAPID("signature does not verify")
        }
        guard let jose = try? JSONSerialization.jsonObject(with: headerJSON) as? [String: Any],
            jose["alg"] as? String == "ES256",
            let claims = try? JSONSerialization.jsonObject(with: claimsJSON) as? [String: Any],
            let audience = claims["aud"] as? String, let exp = claims["exp"] as? Int,
            let subject = claims["sub"] as? String
        else { throw .badVAPID("claims missing") }
        guard audience == origin else { throw .badVAPID("aud \(audience) is not \(origin)") }
        let expiry = Date(timeIntervalSince1970: TimeInterval(exp))
        guard expiry > now, expiry.timeIntervalSince(now) <= 24 * 3600 else { throw .badVAPID("exp out of range") }
        guard subject.hasPrefix("mailto:") || subject.hasPrefix("https:") else { throw .badVAPID("bad sub") }
        return VAPIDClaims(audience: audience, expiry: expiry, subject: subject, publicKey: key)
    }

    /// Unpadded (or padded) base64url → bytes.
    public static func base64url(_ text: String) -> Data? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.hasSuffix("=") { standard.removeLast() }
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard)
    }

    /// Bytes → unpadded base64url.
    public static func base64url(_ bytes: Data) -> String {
        bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
