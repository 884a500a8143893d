import Foundation

/// A throwaway CA and a certificate it signed, made at test time with the `openssl` command-line tool
/// in a fresh temporary folder, for gRPC over TLS (`GRPCTLS`) in tests.
///
/// The certificate names `127.0.0.1` (IP) and `localhost` (DNS), allows both server and client
/// authentication (one certificate per process, as the chart mounts), and is valid for two days.
/// Keys are P-256.
///
/// ```swift
/// let certificates = try TestCertificates.make()
/// let tls = try GRPCTLS.fromSettings(.dictionary(certificates.environment()))
/// ```
public struct TestCertificates: Sendable {
    /// The folder holding the files.
    public let directory: String
    /// The CA certificate (PEM).
    public var caFile: String { directory + "/ca.crt" }
    /// The leaf certificate (PEM).
    public var certificateFile: String { directory + "/tls.crt" }
    /// The leaf's private key (PEM, PKCS#8).
    public var keyFile: String { directory + "/tls.key" }

    /// Makes a new CA (`caName` as its common name) and a certificate it signed.
    public static func make(caName: String = "Alpha Test CA") throws -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("alpha-test-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let config = directory + "/openssl.cnf"
        try Self.opensslConfig.write(toFile: config, atomically: true, encoding: .utf8)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(
            ["req", "-x509", "-config", config, "-extensions", "ca"] + ec + [
                "-keyout", directory + "/ca.key", "-out", directory + "/ca.crt", "-days", "2", "-subj", "/CN=\(caName)",
            ])
        try openssl(
            ["req", "-new", "-config", config] + ec + [
                "-keyout", directory + "/tls.key", "-out", directory + "/tls.csr", "-subj", "/CN=alpha-test",
            ])
        try openssl([
            "x509", "-req", "-in", directory + "/tls.csr", "-CA", directory + "/ca.crt", "-CAkey",
            directory + "/ca.key",
            "-set_serial", "\(UInt32.random(in: 1...UInt32.max))", "-days", "2",
            "-extfile", config, "-extensions", "leaf", "-out", directory + "/tls.crt",
        ])
        return TestCertificates(directory: directory)
    }

    /// The `GRPC_TLS_*` variables that make a process serve and dial TLS with these files
    /// (`requireClientCertificate`: mutual TLS).
    public func environment(requireClientCertificate: Bool = false) -> [String: String] {
        [
            "GRPC_TLS_ENABLED": "true",
            "GRPC_TLS_CERT_FILE": certificateFile,
            "GRPC_TLS_KEY_FILE": keyFile,
            "GRPC_TLS_CA_FILE": caFile,
            "GRPC_TLS_REQUIRE_CLIENT_CERT": requireClientCertificate ? "true" : "false",
        ]
    }

    /// Deletes the folder.
    public func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static let opensslConfig = """
        [req]
        distinguished_name = dn
        prompt = no
        [dn]
        CN = unused
        [ca]
        basicConstraints = critical,CA:TRUE
        keyUsage = critical,keyCertSign,cRLSign
        subjectKeyIdentifier = hash
        [leaf]
        basicConstraints = critical,CA:FALSE
        keyUsage = critical,digitalSignature
        extendedKeyUsage = serverAuth,clientAuth
        subjectAltName = IP:127.0.0.1,DNS:localhost
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid

        """

    private static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OpenSSLFailed(arguments: arguments, output: String(decoding: output, as: UTF8.self))
        }
    }

    /// `openssl` exited with an error.
    public struct OpenSSLFailed: Error, CustomStringConvertible {
        /// The arguments openssl was run with.
        public var arguments: [String]
        /// What it wrote to stderr.
        public var output: String
        /// The command and its output, in one line.
        public var description: String { "openssl \(arguments.joined(separator: " ")) failed: \(output)" }
    }
}
