import AlphaAuth
import AlphaCore
import AlphaGRPC
import GRPCCore
import GRPCInProcessTransport
import Logging

/// Runs services behind the kit's full server interceptor chain on the in-process transport, and hands
/// `body` a client whose calls carry the service credential (and ``ForwardedUserToken/current``).
/// `errorTranslators` and `availabilityGates` are what `addPostgres` gives a real process (see
/// `PostgresAvailability`).
///
/// ```swift
/// try await withInProcessServer(services: [handler], identity: identity) { client in
///     let users = Alpha_User_V1_Users.Client(wrapping: client)
///     _ = try await ForwardedUserToken.$current.withValue(identity.accessToken(for: "alice")) {
///         try await users.getProfile(.with { $0.username = "alice" })
///     }
/// }
/// ```
public func withInProcessServer<Result: Sendable>(
    services: [any RegistrableRPCService],
    identity: TestIdentity,
    logger: Logger = Logger(label: "alpha-test-grpc"),
    sendCredential: Bool = true,
    errorTranslators: [ErrorTranslator] = [],
    availabilityGates: [AvailabilityGate] = [],
    _ body: @Sendable (GRPCClient<InProcessTransport.Client>) async throws -> Result
) async throws -> Result {
    let transport = InProcessTransport()
    let server = GRPCServer(
        transport: transport.server,
        services: services,
        interceptors: [
            TracingServerInterceptor(), ObservingInterceptor(logger: logger),
            ErrorMappingInterceptor(logger: logger, translators: errorTranslators),
            AvailabilityInterceptor(gates: availabilityGates), identity.interceptor,
        ]
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
