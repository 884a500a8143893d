import AlphaAuth
import GRPCCore

/// Attaches the internal service credential to every outgoing RPC, and the user token of
/// ``ForwardedUserToken/current`` when the call is made on behalf of a signed-in user.
public struct CredentialInterceptor: ClientInterceptor {
    private let credential: ServiceCredential

    /// An interceptor attaching `credential`.
    public init(credential: ServiceCredential) {
        self.credential = credential
    }

    /// Adds the credential (and the forwarded user token, if any) to the request metadata.
    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingClientRequest<Input>,
        context: ClientContext,
        next: (StreamingClientRequest<Input>, ClientContext) async throws -> StreamingClientResponse<Output>
    ) async throws -> StreamingClientResponse<Output> {
        var request = request
        request.metadata.replaceOrAddString(credential.value, forKey: ServiceCredential.metadataKey)
        if let token = ForwardedUserToken.current {
            request.metadata.replaceOrAddString("Bearer \(token)", forKey: IdentityInterceptor.userTokenKey)
        }
        return try await next(request, context)
    }
}

/// The user token to forward on outgoing calls made by this task.
///
/// ```swift
/// try await ForwardedUserToken.$current.withValue(token) {
///     try await users.getProfile(...)
/// }
/// ```
public enum ForwardedUserToken {
    /// The token; `nil` when the task acts for nobody in particular.
    @TaskLocal public static var current: String?
}
