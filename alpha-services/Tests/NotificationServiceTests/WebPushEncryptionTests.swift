import AlphaServicesTesting
import Crypto
import Foundation
import Testing

@testable import NotificationService

/// RFC 8291 (Message Encryption for Web Push), checked against the RFC's own example (§5 and Appendix A).
@Suite("Web Push encryption (RFC 8291)")
struct WebPushEncryptionTests {
    /// RFC 8291 Appendix A, line breaks removed.
    enum Vector {
        static let plaintext = "When I grow up, I want to be a watermelon"
        static let asPrivate = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"
        static let asPublic =
            "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8"
        static let uaPrivate = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
        static let uaPublic =
            "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
        static let salt = "DGv6ra1nlYgDCS1FRnbzlw"
        static let authSecret = "BTBZMqHH6r4Tts7J_aSIgg"
        static let ecdhSecret = "kyrL1jIIOHEzg3sM2ZWRHDRB62YACZhhSlknJ672kSs"
        static let cek = "oIhVW04MRdy2XN9CiKLxTg"
        static let nonce = "4h_95klXJ5E_qnoN"
        static let body =
            "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
    }

    static func bytes(_ text: String) throws -> Data { try #require(Base64URL.decode(text)) }

    @Test("the server key of the vector is the vector's as_public, and ECDH gives its ecdh_secret")
    func keyAgreement() throws {
        let server = try P256.KeyAgreement.PrivateKey(rawRepresentation: Self.bytes(Vector.asPrivate))
        #expect(Base64URL.encode(server.publicKey.x963Representation) == Vector.asPublic)
        let userAgent = try P256.KeyAgreement.PublicKey(x963Representation: Self.bytes(Vector.uaPublic))
        let shared = try server.sharedSecretFromKeyAgreement(with: userAgent)
        #expect(Base64URL.encode(shared.withUnsafeBytes { Data($0) }) == Vector.ecdhSecret)
    }

    @Test("the derived content-encryption key and nonce are the vector's CEK and NONCE")
    func contentKeys() throws {
        let server = try P256.KeyAgreement.PrivateKey(rawRepresentation: Self.bytes(Vector.asPrivate))
        let userAgentPublic = try Self.bytes(Vector.uaPublic)
        let shared = try server.sharedSecretFromKeyAgreement(
            with: P256.KeyAgreement.PublicKey(x963Representation: userAgentPublic))
        let (key, nonce) = WebPushEncryption.contentKeys(
            shared: shared, auth: try Self.bytes(Vector.authSecret), userAgentPublic: userAgentPublic,
            serverPublic: server.publicKey.x963Representation, salt: try Self.bytes(Vector.salt))
        #expect(Base64URL.encode(key.withUnsafeBytes { Data($0) }) == Vector.cek)
        #expect(Base64URL.encode(nonce.withUnsafeBytes { Data($0) }) == Vector.nonce)
    }

    @Test("encrypting the vector's plaintext with its key and salt gives the RFC's message byte for byte")
    func encryptsTheVector() throws {
        let body = try WebPushEncryption.encrypt(
            Data(Vector.plaintext.utf8),
            p256dh: Self.bytes(Vector.uaPublic),
            auth: Self.bytes(Vector.authSecret),
            serverKey: P256.KeyAgreement.PrivateKey(rawRepresentation: Self.bytes(Vector.asPrivate)),
            salt: Self.bytes(Vector.salt)
        )
        #expect(Base64URL.encode(body) == Vector.body)
        // The header: salt, rs = 4096, idlen = 65, keyid = as_public.
        #expect(body.prefix(16) == (try Self.bytes(Vector.salt)))
        #expect([UInt8](body[16..<21]) == [0, 0, 0x10, 0, 65])
        #expect(body[21..<86] == (try Self.bytes(Vector.asPublic)))
    }

    @Test("the independent receiver decrypts the RFC's message with the user agent's private key")
    func receiverDecryptsTheVector() throws {
        let userAgent = try P256.KeyAgreement.PrivateKey(rawRepresentation: Self.bytes(Vector.uaPrivate))
        #expect(Base64URL.encode(userAgent.publicKey.x963Representation) == Vector.uaPublic)
        let plaintext = try WebPushReceiver.decrypt(
            Self.bytes(Vector.body), privateKey: userAgent, auth: Self.bytes(Vector.authSecret))
        #expect(String(decoding: plaintext, as: UTF8.self) == Vector.plaintext)
    }

    @Test("a fresh encryption uses a new key and salt each time, and decrypts; a wrong auth secret does not")
    func roundTrip() throws {
        let userAgent = P256.KeyAgreement.PrivateKey()
        let auth = Data((0..<16).map { _ in UInt8.random(in: 0...255) })
        let payload = Data(#"{"notificationId":"x","notificationType":"follow"}"#.utf8)
        let first = try WebPushEncryption.encrypt(payload, p256dh: userAgent.publicKey.x963Representation, auth: auth)
        let second = try WebPushEncryption.encrypt(payload, p256dh: userAgent.publicKey.x963Representation, auth: auth)
        #expect(first.prefix(86) != second.prefix(86))
        #expect(try WebPushReceiver.decrypt(first, privateKey: userAgent, auth: auth) == payload)
        #expect(throws: WebPushReceiver.Failure.malformedMessage) {
            try WebPushReceiver.decrypt(first, privateKey: userAgent, auth: Data(repeating: 7, count: 16))
        }
    }

    @Test("unusable subscription keys and oversized payloads are refused")
    func refusesBadInput() throws {
        let userAgent = P256.KeyAgreement.PrivateKey().publicKey.x963Representation
        let auth = Data(repeating: 1, count: 16)
        #expect(throws: WebPushEncryption.Failure.invalidPublicKey) {
            try WebPushEncryption.encrypt(Data("x".utf8), p256dh: Data(repeating: 4, count: 65), auth: auth)
        }
        #expect(throws: WebPushEncryption.Failure.invalidPublicKey) {
            try WebPushEncryption.encrypt(Data("x".utf8), p256dh: Data("dummy".utf8), auth: auth)
        }
        #expect(throws: WebPushEncryption.Failure.invalidAuthSecret) {
            try WebPushEncryption.encrypt(Data("x".utf8), p256dh: userAgent, auth: Data(repeating: 1, count: 5))
        }
        #expect(throws: WebPushEncryption.Failure.payloadTooLarge) {
            try WebPushEncryption.encrypt(Data(repeating: 65, count: 4000), p256dh: userAgent, auth: auth)
        }
    }
}
