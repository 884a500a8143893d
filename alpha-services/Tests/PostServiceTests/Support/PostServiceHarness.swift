import AlphaAuth
import AlphaContracts
import AlphaGRPC
import AlphaOutbox
import AlphaPostgres
import AlphaTesting
import Foundation
import GRPCCore
import GRPCInProcessTransport
import Logging
import PostService
import PostgresNIO
import Synchronization
import UserService

/// The post service as it runs in production, minus the network: its handlers behind the kit's
/// interceptor chain on the in-process transport, calling the real user service (also in-process, with
/// the service credential) for authors and follows, on a fresh PostgreSQL database with both schemas
/// migrated; the user service's outbox relay delivers follow changes to the post service. Time is a ``ManualClock``; calls to the user service are counted (``userDirectoryCalls``).
struct PostServiceHarness: Sendable {
    typealias Transport = InProcessTransport.Client

    let posts: Alpha_Post_V1_Posts.Client<Transport>
    let interactions: Alpha_Post_V1_Interactions.Client<Transport>
    let subscriptions: Alpha_User_V1_Subscriptions.Client<Transport>
    let followReplica: Alpha_Post_V1_FollowReplica.Client<Transport>
    let identity: TestIdentity
    let clock: ManualClock
    let directory: CountingUserDirectory
    /// search_path = post_service.
    let postDatabase: PostgresClient
    /// search_path = user_service.
    let userDatabase: PostgresClient
    let logger: Logger

    static func run<T: Sendable>(_ body: @Sendable (PostServiceHarness) async throws -> T) async throws -> T {
        var logger = Logger(label: "post-service-tests")
        logger.logLevel = .error
        return try await TestPostgres.withDatabase(logger: logger) { database in
            try await run(on: database, logger: logger, body)
        }
    }

    private static func run<T: Sendable>(
        on database: TestDatabase,
        logger: Logger,
        _ body: @Sendable (PostServiceHarness) async throws -> T
    ) async throws -> T {
        let userSettings = database.settings(schema: "user_service", poolSize: 2)
        let postSettings = database.settings(schema: "post_service", poolSize: 4)
        return try await withPostgresClient(userSettings.clientConfiguration, logger: logger) { userDatabase in
            try await MigrationRunner(schema: "user_service", migrations: UserServiceMigrations.all(), logger: logger)
                .run(on: userDatabase)
            return try await withPostgresClient(postSettings.clientConfiguration, logger: logger) { postDatabase in
                try await MigrationRunner(
                    schema: "post_service", migrations: PostServiceMigrations.all(), logger: logger
                )
                .run(on: postDatabase)
                let identity = TestIdentity()
                let clock = ManualClock()
                let userServices = UserServiceHandlers.make(
                    postgres: userDatabase, refreshLifetime: identity.policy.refreshLifetime, logger: logger)
                return try await withInProcessServer(services: userServices, identity: identity, logger: logger) {
                    userClient in
                    let directory = CountingUserDirectory(GRPCUserDirectory(client: userClient))
                    let services = PostServiceHandlers.make(
                        postgres: postDatabase,
                        users: directory,
                        notifier: OutboxRepostNotifier(now: { clock.now() }),
                        now: { clock.now() },
                        logger: logger
                    )
                    return try await withInProcessServer(services: services, identity: identity, logger: logger) {
                        client in
                        // The user service's outbox relay, as in production: follow changes reach the post
                        // service's copy of the follow graph after the commit.
                        let relay = OutboxRelay(
                            client: userDatabase, topics: [FollowChangeDelivery(client: client).topic], logger: logger)
                        return try await withServices([relay], logger: logger) {
                            try await body(
                                PostServiceHarness(
                                    posts: Alpha_Post_V1_Posts.Client(wrapping: client),
                                    interactions: Alpha_Post_V1_Interactions.Client(wrapping: client),
                                    subscriptions: Alpha_User_V1_Subscriptions.Client(wrapping: userClient),
                                    followReplica: Alpha_Post_V1_FollowReplica.Client(wrapping: client),
                                    identity: identity,
                                    clock: clock,
                                    directory: directory,
                                    postDatabase: postDatabase,
                                    userDatabase: userDatabase,
                                    logger: logger
                                )
                            )
                        }
                    }
                }
            }
        }
    }

    /// Runs `body` with `username`'s access token forwarded on every call (as the gateway does).
    func asUser<T>(_ username: String, _ body: () async throws -> T) async rethrows -> T {
        try await ForwardedUserToken.$current.withValue(await identity.accessToken(for: username)) {
            try await body()
        }
    }

    /// Stores users directly in the user service's table (accounts are the user service's tests' concern).
    func addUsers(_ usernames: String...) async throws {
        for username in usernames {
            try await userDatabase.query(
                """
                INSERT INTO users (username, nickname, email, password, picture_url, picture_width, picture_height)
                VALUES (\(username), \(username.capitalized), \(username + "@example.org"), \(String(repeating: "x", count: 60)),
                        'https://example.org/avatar.png', 512, 512)
                """,
                logger: logger
            )
        }
    }

    /// `follower` follows `following` through the user service's RPC, then waits until the change reached
    /// the post service's copy of the follow graph (the outbox relay delivers it after the commit); returns
    /// the subscription id.
    @discardableResult
    func follow(_ follower: String, _ following: String) async throws -> String {
        let subscription = try await asUser(follower) {
            try await subscriptions.createSubscription(.with { $0.following = following })
        }
        try await waitForCopy(follower, following, following: true)
        return subscription.subscriptionID
    }

    /// `follower` deletes `subscriptionID` through the user service's RPC, then waits until the post
    /// service's copy no longer has `follower` following `following`.
    func unfollow(_ follower: String, _ following: String, subscriptionID: String) async throws {
        _ = try await asUser(follower) {
            try await subscriptions.deleteSubscription(.with { $0.subscriptionID = subscriptionID })
        }
        try await waitForCopy(follower, following, following: false)
    }

    /// Polls the post service's `follows` table until the pair's state is `following` (20 s at most).
    func waitForCopy(_ follower: String, _ followee: String, following: Bool) async throws {
        try await eventually("the post service's copy has \(follower) → \(followee) = \(following)") {
            try await copiedFollow(follower, followee)?.following == following
        }
    }

    /// The post service's copy of `follower` → `followee`: state and version (nil: no row).
    func copiedFollow(_ follower: String, _ followee: String) async throws -> (following: Bool, version: Int64)? {
        let rows = try await postDatabase.query(
            "SELECT following, version FROM follows WHERE follower_name = \(follower) AND followee_name = \(followee)",
            logger: logger
        )
        for try await (following, version) in rows.decode((Bool, Int64).self) { return (following, version) }
        return nil
    }

    /// `author` posts `content` (optionally reposting `repostOf`, at `location`).
    @discardableResult
    func post(
        _ author: String,
        _ content: String,
        repostOf: String = "",
        location: Alpha_Post_V1_Location? = nil
    ) async throws -> Alpha_Post_V1_Post {
        try await asUser(author) {
            try await posts.createPost(
                .with {
                    $0.content = content
                    $0.repostedPostID = repostOf
                    if let location { $0.location = location }
                })
        }
    }

    /// One feed page as `viewer` (nil: service credential only, the anonymous feed).
    func feed(
        _ viewer: String?,
        kind: Alpha_Post_V1_FeedKind = .global,
        hashtag: String = "",
        pageToken: String = "",
        limit: Int32 = 10
    ) async throws -> Alpha_Post_V1_ListFeedResponse {
        let request = Alpha_Post_V1_ListFeedRequest.with {
            $0.kind = kind
            $0.hashtag = hashtag
            $0.pageToken = pageToken
            $0.limit = limit
        }
        guard let viewer else { return try await posts.listFeed(request) }
        return try await asUser(viewer) { try await posts.listFeed(request) }
    }

    /// Every post id of a feed, walking its pages with `limit` until an empty page.
    func walk(
        _ viewer: String?,
        kind: Alpha_Post_V1_FeedKind = .global,
        hashtag: String = "",
        limit: Int32
    ) async throws -> [String] {
        var ids: [String] = []
        var token = ""
        for _ in 0..<1000 {
            let page = try await feed(viewer, kind: kind, hashtag: hashtag, pageToken: token, limit: limit)
            if page.posts.isEmpty { return ids }
            ids += page.posts.map(\.postID)
            token = page.nextPageToken
        }
        throw HarnessError("feed did not end")
    }

    /// Rows of `table` in the post service's schema matching `postID`.
    func rows(in table: String, postID: String) async throws -> Int {
        let id = UUID(uuidString: postID)!
        let query: PostgresQuery =
            switch table {
            case "likes": "SELECT count(*) FROM likes WHERE post_id = \(id)"
            case "comments": "SELECT count(*) FROM comments WHERE post_id = \(id)"
            case "post_hashtags": "SELECT count(*) FROM post_hashtags WHERE post_id = \(id)"
            default: "SELECT count(*) FROM posts WHERE post_id = \(id)"
            }
        for try await count in try await postDatabase.query(query, logger: logger).decode(Int.self) { return count }
        return 0
    }
}

/// A clock tests set by hand; starts at a fixed instant and stays there until moved.
final class ManualClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_750_000_000))

    func now() -> Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// Counts the post service's calls to the user service (one per REST request is the rule).
final class CountingUserDirectory: UserDirectory {
    private let wrapped: any UserDirectory
    private let counts = Mutex((summaries: 0, followees: 0))

    init(_ wrapped: any UserDirectory) {
        self.wrapped = wrapped
    }

    var calls: (summaries: Int, followees: Int) { counts.withLock { $0 } }

    func summaries(of usernames: [String]) async throws -> [String: Alpha_User_V1_UserSummary] {
        counts.withLock { $0.summaries += 1 }
        return try await wrapped.summaries(of: usernames)
    }

    func followees(of username: String) async throws -> [String] {
        counts.withLock { $0.followees += 1 }
        return try await wrapped.followees(of: username)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
