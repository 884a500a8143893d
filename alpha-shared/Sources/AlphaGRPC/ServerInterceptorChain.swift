import AlphaCore
import GRPCCore
import Logging

/// The kit's server interceptor chain, outermost first — the one definition behind ``GRPCServerService`` and
/// the in-process test server of AlphaTesting:
/// tracing → logging + RED metrics → error mapping (with the ``Dependencies``' translators) →
/// availability (their gates) → identity.
public enum ServerInterceptorChain {
    /// The interceptors of a server whose callers are checked by `identity` and whose RPCs depend on
    /// `dependencies`.
    public static func interceptors(
        identity: IdentityInterceptor,
        dependencies: Dependencies,
        logger: Logger
    ) -> [any ServerInterceptor] {
        [
            TracingServerInterceptor(),
            ObservingInterceptor(logger: logger),
            ErrorMappingInterceptor(logger: logger, dependencies: dependencies),
            AvailabilityInterceptor(dependencies: dependencies),
            identity,
        ]
    }
}
