import AlphaAuth
import AlphaCore
import AlphaGRPC
import GRPCCore
import GRPCInProcessTransport
import Logging

/// Runs services (plus a health service, unless one is among them) behind the kit's server interceptor chain
/// (`ServerInterceptorChain`, the same as a real server's) on the in-process transport, and hands `body` a
/// client whose calls carry the service credential (and ``ForwardedUserToken/current``). `dependencies` is
/// what `addPostgres` fills in a real process (see `PostgresAvailability`).
///
/// ```swift
/// try await withInProcessServer(services: [handler], identity: identity) { client in
///     let users = Alpha_User_V1_Users.Client(wrapping: client)
///     _ = try await ForwardedUserToken.$current.withValue(await identity.accessToken(for: "alice")) {
///         try await users.getProfile(.with { $0.username = "alice" })
///     }
/// }
/// ```
public func withInProcessServer<Result: Sendable>(
    services: [any RegistrableRPCService],
    identity: TestIdentity,
    logger: Logger = Logger(label: "alpha-test-grpc"),
    sendCredential: Bool = true,
    dependencies: Dependencies = Dependencies(),
    _ body: @Sendable (GRPCClient<InProcessTransport.Client>) async throws -> Result
) async throws -> Result {
    let transport = InProcessTransport()
    let server = GRPCServer(
        transport: transport.server,
        // A test that brings its own health service (to drive its readiness) keeps it.
        services: services.contains { $0 is HealthService }
            ? services : services + [HealthService(serving: services, readiness: Readiness())],
        interceptors: ServerInterceptorChain.interceptors(
            identity: identity.interceptor, dependencies: dependencies, logger: logger)
    )
    let clientInterceptors: [any ClientInterceptor] =
        sendCredential ? [CredentialInterceptor(credential: identity.credential)] : []
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.serve() }
        defer { server.beginGracefulShutdown() }
        return try await withGRPCClient(transport: transport.client, interceptors: clientInterceptors) { client in
            try await body(client)
        }
    }
}
