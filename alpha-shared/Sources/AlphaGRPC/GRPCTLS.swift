import AlphaCore
import Foundation
import GRPCNIOTransportHTTP2
import NIOSSL

/// TLS for the kit's gRPC servers and clients (``GRPCServerService``, ``GRPCClientService``): every
/// process serves TLS with its certificate, and dials its peers over TLS, verifying them against the
/// CA; with ``requireClientCertificate`` (mutual TLS) servers also demand a client certificate from the
/// same CA, and clients present theirs. Without `GRPC_TLS_ENABLED` the transports stay plaintext
/// (development).
///
/// Configuration keys (the chart's `grpcTLS` values set them): `GRPC_TLS_ENABLED` (default `false`),
/// `GRPC_TLS_CERT_FILE` (PEM certificate chain, leaf first), `GRPC_TLS_KEY_FILE` (its PEM private key),
/// `GRPC_TLS_CA_FILE` (PEM certificates of the CA that peers are verified against) — the three files
/// required when enabled — and `GRPC_TLS_REQUIRE_CLIENT_CERT` (default `false`). A client verifies the
/// server's certificate against the host it dials (the name in `USER_SERVICE_URL`, the `dns:///` name
/// for resolved endpoints, or the IP literal), so the certificate must name it.
///
/// The files are read and checked when the settings are read (a missing, unreadable or mismatched
/// file is a ``ConfigurationError`` naming the variable, before the process does anything else); they
/// are not re-read later, so a renewed certificate takes effect when the process restarts.
///
/// ```swift
/// let tls = try GRPCTLS.fromSettings(settings)   // nil: plaintext
/// ```
public struct GRPCTLS: Sendable {
    /// The PEM certificate chain presented to peers, leaf first.
    public let certificateChainPEM: [UInt8]
    /// The PEM private key of the leaf certificate.
    public let privateKeyPEM: [UInt8]
    /// The PEM certificates peers are verified against.
    public let trustRootsPEM: [UInt8]
    /// Whether servers demand (and verify) a client certificate: mutual TLS.
    public let requireClientCertificate: Bool

    /// Checks and keeps the PEM contents. Throws ``ConfigurationError`` naming the `GRPC_TLS_*` variable
    /// whose content is not usable (no certificate, no private key, a key that does not belong to the
    /// leaf certificate).
    public init(
        certificateChainPEM: [UInt8],
        privateKeyPEM: [UInt8],
        trustRootsPEM: [UInt8],
        requireClientCertificate: Bool
    ) throws(ConfigurationError) {
        let chain = try Self.certificates(certificateChainPEM, variable: "GRPC_TLS_CERT_FILE")
        _ = try Self.certificates(trustRootsPEM, variable: "GRPC_TLS_CA_FILE")
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: privateKeyPEM, format: .pem)
        } catch {
            throw .invalid(variable: "GRPC_TLS_KEY_FILE", reason: "not a PEM private key")
        }
        do {
            // BoringSSL refuses a key that does not belong to the leaf certificate here.
            _ = try NIOSSLContext(
                configuration: .makeServerConfiguration(
                    certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)))
        } catch {
            throw .invalid(
                variable: "GRPC_TLS_KEY_FILE", reason: "does not match the certificate in GRPC_TLS_CERT_FILE")
        }
        self.certificateChainPEM = certificateChainPEM
        self.privateKeyPEM = privateKeyPEM
        self.trustRootsPEM = trustRootsPEM
        self.requireClientCertificate = requireClientCertificate
    }

    /// The TLS settings of `GRPC_TLS_*` (see the type's configuration keys), or `nil` (plaintext) when
    /// `GRPC_TLS_ENABLED` is not `true`.
    public static func fromSettings(_ settings: Settings) throws(ConfigurationError) -> GRPCTLS? {
        guard try settings.bool("grpc.tls.enabled", default: false) else { return nil }
        return try GRPCTLS(
            certificateChainPEM: try readFile(settings, "grpc.tls.cert.file"),
            privateKeyPEM: try readFile(settings, "grpc.tls.key.file"),
            trustRootsPEM: try readFile(settings, "grpc.tls.ca.file"),
            requireClientCertificate: try settings.bool("grpc.tls.require.client.cert", default: false)
        )
    }

    /// The server side: present the certificate; with mutual TLS, demand a client certificate signed by
    /// the CA (host names are not checked on client certificates).
    public var serverSecurity: HTTP2ServerTransport.Posix.TransportSecurity {
        .tls(
            certificateChain: [.bytes(certificateChainPEM, format: .pem)],
            privateKey: .bytes(privateKeyPEM, format: .pem)
        ) { config in
            config.trustRoots = .certificates([.bytes(trustRootsPEM, format: .pem)])
            config.clientCertificateVerification = requireClientCertificate ? .noHostnameVerification : .noVerification
        }
    }

    /// The client side: verify the server's certificate (chain to the CA, and the dialled host name);
    /// present this process's certificate, which servers demanding mutual TLS verify.
    public var clientSecurity: HTTP2ClientTransport.Posix.TransportSecurity {
        .tls(
            .init(
                certificateChain: [.bytes(certificateChainPEM, format: .pem)],
                privateKey: .bytes(privateKeyPEM, format: .pem),
                serverCertificateVerification: .fullVerification,
                trustRoots: .certificates([.bytes(trustRootsPEM, format: .pem)])
            )
        )
    }

    private static func certificates(_ pem: [UInt8], variable: String) throws(ConfigurationError)
        -> [NIOSSLCertificate]
    {
        guard let certificates = try? NIOSSLCertificate.fromPEMBytes(pem), !certificates.isEmpty else {
            throw .invalid(variable: variable, reason: "no PEM certificate in the file")
        }
        return certificates
    }

    private static func readFile(_ settings: Settings, _ key: String) throws(ConfigurationError) -> [UInt8] {
        let path = try settings.requiredString(key)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalid(variable: Settings.variableName(for: key), reason: "cannot read the file \(path)")
        }
        return Array(data)
    }
}
