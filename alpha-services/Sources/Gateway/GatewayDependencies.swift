import AlphaAuth
import Logging

/// What the routes need: the upstream clients, the token issuer/verifier, the configuration.
public struct GatewayDependencies: Sendable {
    public let configuration: GatewayConfiguration
    public let upstreams: Upstreams
    public let issuer: TokenIssuer
    /// Verifies access and refresh tokens; each token's signature once per process, then from the cache.
    let tokenVerifier: CachingTokenVerifier
    let clientAddresses: ClientAddressResolver
    public let logger: Logger

    public init(
        configuration: GatewayConfiguration,
        upstreams: Upstreams,
        issuer: TokenIssuer,
        verifier: TokenVerifier,
        logger: Logger
    ) {
        self.configuration = configuration
        self.upstreams = upstreams
        self.issuer = issuer
        self.tokenVerifier = CachingTokenVerifier(verifier)
        self.clientAddresses = ClientAddressResolver(trustedProxies: configuration.trustedProxies)
        self.logger = logger
    }
}
