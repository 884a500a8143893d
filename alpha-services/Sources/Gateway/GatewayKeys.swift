import AlphaAuth
import AlphaCore

/// The gateway's signing key (`JWT_PRIVATE_KEY`, Ed25519 PKCS#8 PEM, required) and the verifier for
/// the matching public key, both under the installation's token policy (`TOKEN_ISSUER`, `TOKEN_AUDIENCE`,
/// `ACCESS_TOKEN_TTL_SECONDS`, `REFRESH_TOKEN_TTL_SECONDS`: ``TokenPolicy/init(settings:)``). When
/// `JWT_PUBLIC_KEY` is also set it must be the same key pair.
public enum GatewayKeys {
    public static func fromSettings(_ settings: Settings) throws(ConfigurationError) -> (TokenIssuer, TokenVerifier) {
        let pem = try settings.requiredString("jwt.private.key", isSecret: true)
        let policy = try TokenPolicy(settings: settings)
        let privateKey: Ed25519PrivateKey
        do {
            privateKey = try Ed25519PEM.privateKey(pem: pem)
        } catch {
            throw .invalid(variable: "JWT_PRIVATE_KEY", reason: "not an Ed25519 private key in PKCS#8 PEM form")
        }
        if let publicPEM = settings.optionalString("jwt.public.key") {
            guard let publicKey = try? Ed25519PEM.publicKey(pem: publicPEM),
                publicKey.rawRepresentation == privateKey.publicKey.rawRepresentation
            else {
                throw .invalid(variable: "JWT_PUBLIC_KEY", reason: "does not match JWT_PRIVATE_KEY")
            }
        }
        return (
            TokenIssuer(privateKey: privateKey, policy: policy),
            TokenVerifier(publicKey: privateKey.publicKey, policy: policy)
        )
    }
}
