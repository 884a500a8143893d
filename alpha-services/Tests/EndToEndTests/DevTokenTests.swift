import AlphaAuth
import AlphaTesting
import Foundation
import Testing

/// `alpha-token`, the executable behind `make token USER=…`.
@Suite("alpha-token: a user token from the development key")
struct DevTokenTests {
    /// Runs alpha-token with `arguments` and `environment`; its exit status, stdout and stderr.
    func run(_ arguments: [String], environment: [String: String]) async throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = RunningSystem.binDirectory.appendingPathComponent("alpha-token")
        process.arguments = arguments
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    @Test("prints an access token for the user that verifies under the same key and TOKEN_* policy")
    func printsAVerifiableToken() async throws {
        let identity = TestIdentity(policy: RunningSystem.alphaTokenPolicy)
        let (status, output, errors) = try await run(["alice"], environment: identity.environment)
        #expect(status == 0, "\(errors)")
        let token = output.trimmingCharacters(in: .newlines)
        #expect(!token.contains("\n"))
        let claims = try await identity.verifier.verify(token, kind: .access)
        #expect(claims.sub == "alice" && claims.iss == "alpha-api-gateway" && claims.aud == ["server-alpha"])
        #expect(claims.exp - claims.iat == 24 * 3600)
    }

    @Test("without a user, or without the token policy, it prints nothing and says what is missing")
    func refusesIncompleteInput() async throws {
        let identity = TestIdentity()
        let (noUser, _, usage) = try await run([], environment: identity.environment)
        #expect(noUser == 2 && usage.contains("usage"))
        var environment = identity.environment
        environment.removeValue(forKey: "TOKEN_ISSUER")
        let (status, output, errors) = try await run(["alice"], environment: environment)
        #expect(status == 1 && output.isEmpty)
        #expect(errors.contains("TOKEN_ISSUER"), "\(errors)")
    }
}
