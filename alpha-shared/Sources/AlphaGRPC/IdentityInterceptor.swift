import AlphaAuth
import GRPCCore
import Logging

/// Establishes who is calling and refuses calls that prove nothing.
///
/// A call must carry a valid user token (`authorization: Bearer <jwt>`, verified with the Ed25519 public
/// key: algorithm, signature, expiry, issuer, audience, access kind) or the internal service credential
/// (`x-alpha-service-credential`, compared in constant time), or both. Anything else is answered
/// `unauthenticated` before the handler runs. The result is exposed to handlers as ``Caller/current``.
/// The health service stays open so probes need no secret.
public struct IdentityInterceptor: ServerInterceptor {
    /// The metadata key carrying the forwarded user token.
    public static let userTokenKey = "authorization"
    /// Services reachable without credentials.
    public static let openServices: Set<String> = ["grpc.health.v1.Health"]

    // Each token's signature is verified once per process, then answered from the cache until it expires.
    private let verifier: CachingTokenVerifier
    private let credential: ServiceCredential

    /// An interceptor checking user tokens with `verifier` and the service credential against `credential`.
    public init(verifier: TokenVerifier, credential: ServiceCredential) {
        self.verifier = CachingTokenVerifier(verifier)
        self.credential = credential
    }

    /// Verifies the caller and runs the rest of the chain with ``Caller/current`` set.
    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        if Self.openServices.contains(context.descriptor.service.fullyQualifiedService) {
            return try await next(request, context)
        }
        let caller = try await identify(request.metadata)
        let response = try await Caller.$current.withValue(caller) {
            try await next(request, context)
        }
        // A streaming handler writes its messages in the response's producer, which runs after this
        // interceptor has returned: give it the caller too.
        guard case .success(var contents) = response.accepted else { return response }
        let producer = contents.producer
        contents.producer = { writer in
            try await Caller.$current.withValue(caller) {
                try await producer(writer)
            }
        }
        return StreamingServerResponse(accepted: .success(contents))
    }

    /// The caller described by `metadata`; throws `unauthenticated` when it proves nothing.
    public func identify(_ metadata: Metadata) async throws -> Caller {
        var caller = Caller()
        if let presented = metadata[stringValues: ServiceCredential.metadataKey].first(where: { _ in true }) {
            guard credential.matches(presented) else {
                throw RPCError(code: .unauthenticated, message: "invalid service credential")
            }
            caller.isService = true
        }
        if let header = metadata[stringValues: Self.userTokenKey].first(where: { _ in true }) {
            let parts = header.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == "Bearer" else {
                throw RPCError(code: .unauthenticated, message: "malformed authorization metadata")
            }
            do {
                let claims = try await verifier.verify(String(parts[1]), kind: .access)
                caller.username = claims.sub
                caller.userToken = String(parts[1])
            } catch {
                throw RPCError(code: .unauthenticated, message: "invalid user token")
            }
        }
        guard caller.isService || caller.username != nil else {
            throw RPCError(code: .unauthenticated, message: "a user token or the service credential is required")
        }
        return caller
    }
}
