/// Who is making the current RPC, as established by the kit's identity interceptor.
///
/// A call may carry a verified user token (`username` is set), the internal service credential
/// (`isService` is true), or both (the gateway forwards a user's request). Handlers read
/// ``Caller/current`` and decide authorization themselves.
///
/// ```swift
/// let username = try Caller.requireUser()     // RPCs on behalf of a user
/// try Caller.requireService()                 // RPCs only other services may call
/// ```
public struct Caller: Sendable, Hashable {
    /// The verified username (`sub`) when a valid user token came with the call.
    public var username: String?
    /// Whether the call presented the internal service credential.
    public var isService: Bool
    /// The raw user token, so a service can forward it on calls it makes for the same user.
    public var userToken: String?

    /// A caller with what its credentials proved (nothing, by default).
    public init(username: String? = nil, isService: Bool = false, userToken: String? = nil) {
        self.username = username
        self.isService = isService
        self.userToken = userToken
    }

    /// The caller of the RPC being handled by this task, or `nil` outside an RPC.
    @TaskLocal public static var current: Caller?

    /// The calling user's name; throws ``IdentityError/userRequired`` when no user token came with the call.
    @discardableResult
    public static func requireUser() throws(IdentityError) -> String {
        guard let username = current?.username else { throw .userRequired }
        return username
    }

    /// Throws ``IdentityError/serviceRequired`` unless the call presented the service credential.
    public static func requireService() throws(IdentityError) {
        guard current?.isService == true else { throw .serviceRequired }
    }
}

/// The caller lacks the identity an RPC requires; the gRPC layer answers `unauthenticated` or
/// `permissionDenied`.
public enum IdentityError: Error, Hashable, Sendable {
    case userRequired
    case serviceRequired
}
