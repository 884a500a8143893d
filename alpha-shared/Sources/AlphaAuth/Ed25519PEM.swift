import Crypto
import SwiftASN1
import _CryptoExtras

/// PEM encoding of Ed25519 keys: SPKI (`PUBLIC KEY`) and PKCS#8 (`PRIVATE KEY`), as `openssl genpkey
/// -algorithm ed25519` writes them.
///
/// The PEM armour is read by swift-asn1 and the DER by swift-crypto's own Curve25519 PEM support
/// (`_CryptoExtras`); this type only pins the label and the key type and names the failure.
public enum Ed25519PEM {
    /// Errors reading a PEM.
    public enum PEMError: Error, Sendable {
        /// The text is not one PEM document.
        case notPEM
        /// A PEM document, but not an Ed25519 key of the kind asked for.
        case notEd25519
    }

    /// Parses an SPKI PEM holding an Ed25519 public key.
    public static func publicKey(pem: String) throws(PEMError) -> Curve25519.Signing.PublicKey {
        let der = try decode(pem: pem, label: "PUBLIC KEY")
        // The SPKI parser also checks the algorithm identifier (id-Ed25519).
        guard let key = try? Curve25519.Signing.PublicKey(derRepresentation: der) else { throw .notEd25519 }
        return key
    }

    /// Parses a PKCS#8 PEM holding an Ed25519 private key.
    public static func privateKey(pem: String) throws(PEMError) -> Curve25519.Signing.PrivateKey {
        let der = try decode(pem: pem, label: "PRIVATE KEY")
        // swift-crypto's PKCS#8 parser does not look at the algorithm identifier (an X25519 key would pass):
        // the DER must be exactly the Ed25519 form the key writes back.
        guard let key = try? Curve25519.Signing.PrivateKey(derRepresentation: der),
            Array(key.derRepresentation) == der
        else { throw .notEd25519 }
        return key
    }

    /// Renders a public key as SPKI PEM (ending in a newline, as openssl writes it).
    public static func pem(for key: Curve25519.Signing.PublicKey) -> String {
        key.pemRepresentation + "\n"
    }

    /// Renders a private key as PKCS#8 PEM (ending in a newline, as openssl writes it).
    public static func pem(for key: Curve25519.Signing.PrivateKey) -> String {
        key.pemRepresentation + "\n"
    }

    private static func decode(pem: String, label: String) throws(PEMError) -> [UInt8] {
        guard let document = try? PEMDocument(pemString: pem) else { throw .notPEM }
        guard document.discriminator == label else { throw .notEd25519 }
        return document.derBytes
    }
}

/// An Ed25519 signing key (swift-crypto's type, re-exported so callers need not import Crypto).
public typealias Ed25519PrivateKey = Curve25519.Signing.PrivateKey
/// An Ed25519 verification key.
public typealias Ed25519PublicKey = Curve25519.Signing.PublicKey
