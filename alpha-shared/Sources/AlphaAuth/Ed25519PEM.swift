import Crypto
import Foundation

/// PEM encoding of Ed25519 keys: SPKI (`PUBLIC KEY`) and PKCS#8 (`PRIVATE KEY`), as `openssl genpkey
/// -algorithm ed25519` writes them. Both DER forms are a fixed prefix followed by the 32 raw key bytes.
public enum Ed25519PEM {
    static let publicPrefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]
    static let privatePrefix: [UInt8] = [
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]

    /// Errors reading a PEM.
    public enum PEMError: Error, Sendable {
        case notPEM
        case notEd25519
    }

    /// Parses an SPKI PEM holding an Ed25519 public key.
    public static func publicKey(pem: String) throws -> Curve25519.Signing.PublicKey {
        let der = try decode(pem: pem, label: "PUBLIC KEY")
        guard der.count == publicPrefix.count + 32, der.starts(with: publicPrefix) else { throw PEMError.notEd25519 }
        return try Curve25519.Signing.PublicKey(rawRepresentation: der.suffix(32))
    }

    /// Parses a PKCS#8 PEM holding an Ed25519 private key.
    public static func privateKey(pem: String) throws -> Curve25519.Signing.PrivateKey {
        let der = try decode(pem: pem, label: "PRIVATE KEY")
        guard der.count == privatePrefix.count + 32, der.starts(with: privatePrefix) else { throw PEMError.notEd25519 }
        return try Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32))
    }

    /// Renders a public key as SPKI PEM.
    public static func pem(for key: Curve25519.Signing.PublicKey) -> String {
        encode(der: publicPrefix + key.rawRepresentation, label: "PUBLIC KEY")
    }

    /// Renders a private key as PKCS#8 PEM.
    public static func pem(for key: Curve25519.Signing.PrivateKey) -> String {
        encode(der: privatePrefix + key.rawRepresentation, label: "PRIVATE KEY")
    }

    private static func decode(pem: String, label: String) throws -> [UInt8] {
        let begin = "-----BEGIN \(label)-----"
        let end = "-----END \(label)-----"
        guard let start = pem.range(of: begin), let stop = pem.range(of: end), start.upperBound <= stop.lowerBound
        else {
            throw PEMError.notPEM
        }
        let body = pem[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: String(body)) else { throw PEMError.notPEM }
        return Array(data)
    }

    private static func encode(der: [UInt8], label: String) -> String {
        let base64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(base64)\n-----END \(label)-----\n"
    }
}

/// An Ed25519 signing key (swift-crypto's type, re-exported so callers need not import Crypto).
public typealias Ed25519PrivateKey = Curve25519.Signing.PrivateKey
/// An Ed25519 verification key.
public typealias Ed25519PublicKey = Curve25519.Signing.PublicKey
