import Foundation
import PostgresNIO

/// The followers/followings reads (E15) as prepared statements, one pair per side of the relation.
///
/// They run on every list request: prepared once per connection, PostgreSQL skips parsing and, after
/// a few executions, planning (its generic plan), which was most of their cost. The viewer's relations
/// to each listed user are scalar subqueries on the `subscriptions_uq` index, evaluated only for the
/// rows of the page (the earlier form, two extra LEFT JOINs, took longer to plan than to run).
enum SubscriptionStatements {
    /// The row of a list: the other user (username, nickname, picture url/width/height), their
    /// subscription to the viewer and the viewer's subscription to them.
    typealias ListingRow = (String, String, String, Int, Int, UUID?, UUID?)

    /// Which side of `subscriptions` a list is about: the owner's column and the listed user's column.
    protocol Side {
        /// Names the side in the statements' names.
        static var tag: String { get }
        static var listSQL: String { get }
        static var countSQL: String { get }
    }

    /// The users following the owner.
    enum Followers: Side {
        static let tag = "followers"
        static let listSQL = SubscriptionStatements.listSQL(listed: "subscriber_name", owner: "subscribee_name")
        static let countSQL = SubscriptionStatements.countSQL(owner: "subscribee_name")
    }

    /// The users the owner follows.
    enum Followings: Side {
        static let tag = "followings"
        static let listSQL = SubscriptionStatements.listSQL(listed: "subscribee_name", owner: "subscriber_name")
        static let countSQL = SubscriptionStatements.countSQL(owner: "subscriber_name")
    }

    /// One page of `username`'s list (`$1`), newest first, seen by the viewer (`$2`); `$3` limit,
    /// `$4` offset. The statement's name includes the side, so both are prepared side by side.
    struct List<S: Side>: PostgresPreparedStatement {
        // Short and distinct: PostgreSQL cuts names at 63 bytes, and the default (the Swift type's full
        // name) of both sides would be cut to the same prefix.
        static var name: String { "user_service.list_\(S.tag)" }
        static var sql: String { S.listSQL }
        var username: String
        var viewer: String
        var limit: Int
        var offset: Int

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 4)
            bindings.append(username)
            bindings.append(viewer)
            bindings.append(limit)
            bindings.append(offset)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> ListingRow { try row.decode(ListingRow.self) }
    }

    /// The length of `username`'s list (`$1`); no row when the user does not exist.
    struct Count<S: Side>: PostgresPreparedStatement {
        static var name: String { "user_service.count_\(S.tag)" }
        static var sql: String { S.countSQL }
        var username: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(username)
            return bindings
        }

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
}
