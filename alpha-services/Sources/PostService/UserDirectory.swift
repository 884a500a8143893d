import AlphaContracts
import GRPCCore

/// What the post service asks the user service: author data and the follow graph, one batched call each
/// per request (never one per post).
public protocol UserDirectory: Sendable {
    /// The users among `usernames` that exist, keyed by username (one call for the whole page).
    func summaries(of usernames: [String]) async throws -> [String: Alpha_User_V1_UserSummary]

    /// Everyone `username` follows (one call; asked once per follower, to fill ``FollowReplica``).
    func followees(of username: String) async throws -> [String]
}

/// ``UserDirectory`` over the user service's `Users.ListUsers` and `FollowGraph.ListFollowees` RPCs.
///
/// The post service calls on its own behalf: the kit's client carries the service credential (no user
/// token is forwarded — both RPCs accept services), so the user service can tell it from a user.
public struct GRPCUserDirectory<Transport: ClientTransport>: UserDirectory {
    private let users: Alpha_User_V1_Users.Client<Transport>
    private let graph: Alpha_User_V1_FollowGraph.Client<Transport>

    public init(client: GRPCClient<Transport>) {
        self.users = Alpha_User_V1_Users.Client(wrapping: client)
        self.graph = Alpha_User_V1_FollowGraph.Client(wrapping: client)
    }

    public func summaries(of usernames: [String]) async throws -> [String: Alpha_User_V1_UserSummary] {
        guard !usernames.isEmpty else { return [:] }
        let response = try await users.listUsers(.with { $0.usernames = usernames })
        return Dictionary(response.users.map { ($0.username, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func followees(of username: String) async throws -> [String] {
        try await graph.listFollowees(.with { $0.username = username }).usernames
    }
}
