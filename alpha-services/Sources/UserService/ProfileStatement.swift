import Foundation
import PostgresNIO

/// The profile read of E12 as a prepared statement (it runs on every profile request): `$1` the
/// profile's username, `$2` the viewer. One row (username, nickname, status, picture url/width/height,
/// follower and following counts, the viewer's subscription to the user), none for an unknown user.
struct ProfileStatement: PostgresPreparedStatement {
    typealias Row = (String, String, String, String, Int, Int, Int, Int, UUID?)

    static let name = "user_service.profile"

    static let sql = """
        SELECT u.username, u.nickname, u.status, u.picture_url, u.picture_width, u.picture_height,
               (SELECT count(*) FROM subscriptions WHERE subscribee_name = u.username),
               (SELECT count(*) FROM subscriptions WHERE subscriber_name = u.username),
               (SELECT subscription_id FROM subscriptions
                 WHERE subscriber_name = $2 AND subscribee_name = u.username)
        FROM users u
        WHERE u.username = $1
        """

    var username: String
    var viewer: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(username)
        bindings.append(viewer)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
