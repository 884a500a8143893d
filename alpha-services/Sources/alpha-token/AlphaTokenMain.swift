import AlphaCore
import Foundation
import Gateway

/// alpha-token: prints an access token for one user, signed the way the gateway signs (`JWT_PRIVATE_KEY`,
/// under the `TOKEN_*` policy: `GatewayKeys`), for calling the REST API or a service by hand in
/// development. `make token USER=alice` runs it with the development keys (docs/running.md).
///
/// ```sh
/// JWT_PRIVATE_KEY="$(cat .data/keys/jwt-private.pem)" TOKEN_ISSUER=… TOKEN_AUDIENCE=… alpha-token alice
/// ```
@main
enum AlphaTokenMain {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.count == 1, let username = arguments.first, !username.isEmpty else {
            fail("usage: alpha-token USERNAME   (with JWT_PRIVATE_KEY, TOKEN_ISSUER and TOKEN_AUDIENCE set)", status: 2)
        }
        do {
            let (issuer, _) = try GatewayKeys.fromSettings(.environment())
            print(try await issuer.issue(for: username, kind: .access))
        } catch let error as ConfigurationError {
            fail("alpha-token: \(error.description)", status: 1)
        } catch {
            fail("alpha-token: \(error)", status: 1)
        }
    }

    static func fail(_ message: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
        exit(status)
    }
}
