import Hummingbird
import HummingbirdAuth

/// The gateway's request context: Hummingbird's core context plus the signed-in user, which
/// ``BearerAuthenticator`` fills on the route groups that accept a token.
///
/// A route of a protected group reads the caller with hummingbird-auth's `requireIdentity()`:
///
/// ```swift
/// func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
///     let caller = try context.requireIdentity()
///     _ = try await upstream(token: caller.token, logger: context.logger) { … }
/// }
/// ```
public struct GatewayRequestContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The user whose access token the request carries; `nil` when it carries none.
    public var identity: AuthenticatedUser?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.identity = nil
    }
}

/// A caller whose `Authorization: Bearer` access token was verified.
public struct AuthenticatedUser: Sendable, Hashable {
    /// The token's subject.
    public var username: String
    /// The raw token, forwarded upstream so each service verifies the user itself.
    public var token: String
}
