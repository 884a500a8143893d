import Foundation
import PostgresNIO

/// The followers/followings reads (E15, and the counts of E12) as prepared statements.
///
/// They run on every list and profile request: prepared once per connection, PostgreSQL skips parsing
/// and, after a few executions, planning (its generic plan), which was most of their cost. The viewer's
/// relations to each listed user are scalar subqueries on the `subscriptions_uq` index, evaluated only
/// for the rows of the page (the earlier form, two extra LEFT JOINs, took longer to plan than to run).
enum SubscriptionStatements {
    /// The row of a list: the other user (username, nickname, picture url/width/height), their
    /// subscription to the viewer and the viewer's subscription to them.
    typealias ListingRow = (String, String, String, Int, Int, UUID?, UUID?)

    /// `username`'s followers (`$1`), newest first, seen by the viewer (`$2`); `$3` limit, `$4` offset.
    struct ListFollowers: PostgresPreparedStatement {
        static let sql = listSQL(listed: "subscriber_name", owner: "subscribee_name")
        var username: String
        var viewer: String
        var limit: Int
        var offset: Int

        func makeBindings() throws -> PostgresBindings { listBindings(username, viewer, limit, offset) }
        func decodeRow(_ row: PostgresRow) throws -> ListingRow { try row.decode(ListingRow.self) }
    }

    /// The users `username` follows (`$1`), newest first, seen by the viewer (`$2`); `$3` limit, `$4` offset.
    struct ListFollowings: PostgresPreparedStatement {
        static let sql = listSQL(listed: "subscribee_name", owner: "subscriber_name")
        var username: String
        var viewer: String
        var limit: Int
        var offset: Int

        func makeBindings() throws -> PostgresBindings { listBindings(username, viewer, limit, offset) }
        func decodeRow(_ row: PostgresRow) throws -> ListingRow { try row.decode(ListingRow.self) }
    }

    /// The number of followers of `$1`; no row when the user does not exist.
    struct CountFollowers: PostgresPreparedStatement {
        static let sql = countSQL(owner: "subscribee_name")
        var username: String

        func makeBindings() throws -> PostgresBindings { countBindings(username) }
        func decodeRow(_ row: PostgresRow) throws -> Int { try row.decode(Int.self) }
    }

    /// The number of users `$1` follows; no row when the user does not exist.
    struct CountFollowings: PostgresPreparedStatement {
        static let sql = countSQL(owner: "subscriber_name")
        var username: String

        func makeBindings() throws -> PostgresBindings { countBindings(username) }
        func decodeRow(_ row: PostgresRow) throws -> Int { try row.decode(Int.self) }
    }

    /// Ties on created_at are broken by id so pages never overlap.
    private static func listSQL(listed: String, owner: String) -> String {
        """
        SELECT u.username, u.nickname, u.picture_url, u.picture_width, u.picture_height,
               (SELECT theirs.subscription_id FROM subscriptions theirs
                 WHERE theirs.subscriber_name = u.username AND theirs.subscribee_name = $2),
               (SELECT mine.subscription_id FROM subscriptions mine
                 WHERE mine.subscriber_name = $2 AND mine.subscribee_name = u.username)
        FROM subscriptions s
        JOIN users u ON u.username = s.\(listed)
        WHERE s.\(owner) = $1
        ORDER BY s.created_at DESC, s.subscription_id DESC
        LIMIT $3 OFFSET $4
        """
    }

    private static func countSQL(owner: String) -> String {
        """
        SELECT (SELECT count(*) FROM subscriptions WHERE \(owner) = u.username)
        FROM users u WHERE u.username = $1
        """
    }

    private static func listBindings(_ username: String, _ viewer: String, _ limit: Int, _ offset: Int)
        -> PostgresBindings
    {
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(username)
        bindings.append(viewer)
        bindings.append(limit)
        bindings.append(offset)
        return bindings
    }

    private static func countBindings(_ username: String) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(username)
        return bindings
    }
}
