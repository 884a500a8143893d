import AlphaGRPC

/// A test harness that calls services on behalf of users, with the tokens of its ``TestIdentity``.
///
/// ```swift
/// extension PostServiceHarness: ActsAsUser {}  // it has `let identity: TestIdentity`
/// let post = try await harness.asUser("alice") { try await harness.posts.createPost(request) }
/// ```
public protocol ActsAsUser {
    /// The identity whose tokens the calls carry.
    var identity: TestIdentity { get }
}

extension ActsAsUser {
    /// Runs `body` with `username`'s access token forwarded on every call made in it
    /// (``ForwardedUserToken``), as the gateway forwards its caller's token.
    public func asUser<T>(_ username: String, _ body: () async throws -> T) async rethrows -> T {
        try await ForwardedUserToken.$current.withValue(await identity.accessToken(for: username)) {
            try await body()
        }
    }
}
