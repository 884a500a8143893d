import Foundation
import PostgresNIO

/// A personal feed page (E18 with a token) in one prepared statement, one round trip: the follower's
/// followees from the post service's copy of the follow graph (`follows`), the feed's total, the page's
/// ids and their posts (docs/performance.md, "Feed queries").
///
/// Parameters: `$1` the follower (also the viewer of the likes), `$2` the cursor post (`NULL` = the first
/// page; an unknown post = an empty page), `$3` posts to skip, `$4` the page size.
///
/// The page size and offset are read through sub-selects, which the planner cannot see into: a custom plan
/// then costs what the generic one does, so after five executions a connection keeps the generic plan and
/// no longer plans this statement (about 1 ms) on every page.
///
/// Every row starts with whether `$1`'s followees were ever copied (when not, the follows there may be
/// incomplete: the caller copies them from the user service and asks again) and the total; then one post
/// of the page (``PostRow``) in feed order, or, for an empty page, one row without a post.
///
/// The total (posts authored, liked or commented by a followee, each once, ignoring the cursor) is the sum of
/// the followees' `author_post_counts` plus the posts they liked or commented that someone else wrote; that
/// second part is counted again only when its signature changed (`Migrations/0003_feed_totals.sql`: the
/// follower's `follows` rows and versions, the followees' `feed_activity`), otherwise read from `feed_totals`;
/// a new count is stored there in the same statement.
public struct PersonalFeedStatement: PostgresPreparedStatement {
    public typealias Row = (
        Bool, Int, UUID?, String?, String?, Date?, Float?, Float?, Int32?, String?, Int32?, Int32?, Int, Int, Bool,
        String?, String?, Date?, Float?, Float?, Int32?, String?, Int32?, Int32?
    )

    public static let name = "post_service.personal_feed"

    /// Declared, so that the statement prepared on a connection fits a first page (`$2` NULL) and later ones.
    public static let bindingDataTypes: [PostgresDataType] = [.text, .uuid, .int4, .int4]

    public static let sql = """
        WITH followees AS MATERIALIZED (
            SELECT followee_name AS name, following, version FROM follows WHERE follower_name = $1
        ),
        following AS (SELECT ARRAY(SELECT name FROM followees WHERE following) AS names),
        signature AS (
            SELECT count(*) AS follows_rows, coalesce(sum(f.version), 0)::bigint AS follows_versions,
                   coalesce(sum(a.version) FILTER (WHERE f.following), 0)::bigint AS activity
            FROM followees f
            -- LIMIT keeps the lookup per followee (primary key) instead of a hash join over every user.
            LEFT JOIN LATERAL (SELECT version FROM feed_activity WHERE username = f.name LIMIT 1) a ON true
        ),
        cached AS (
            SELECT t.interactions FROM feed_totals t, signature s
            WHERE t.follower_name = $1
              AND (t.follows_rows, t.follows_versions, t.activity) = (s.follows_rows, s.follows_versions, s.activity)
        ),
        counted AS (
            -- Posts liked or commented by a followee and written by someone the follower does not follow.
            SELECT count(*) AS interactions
            FROM (
                SELECT post_id FROM likes WHERE username = ANY((SELECT names FROM following)::text[])
                UNION
                SELECT post_id FROM comments WHERE author_name = ANY((SELECT names FROM following)::text[])
            ) touched
            -- LIMIT keeps this a primary-key lookup per post, never a scan of every post.
            CROSS JOIN LATERAL (SELECT author_name FROM posts WHERE post_id = touched.post_id LIMIT 1) p
            WHERE p.author_name <> ALL((SELECT names FROM following)::text[]) AND NOT EXISTS (SELECT FROM cached)
        ),
        head AS (
            SELECT EXISTS (SELECT FROM follows_copied WHERE follower_name = $1) AS copied,
                   ((SELECT coalesce(sum(posts), 0) FROM author_post_counts
                     WHERE author_name = ANY((SELECT names FROM following)::text[]))
                   + coalesce((SELECT interactions FROM cached), (SELECT interactions FROM counted)))::bigint AS total
        ),
        stored AS (
            INSERT INTO feed_totals AS t (follower_name, follows_rows, follows_versions, activity, interactions)
            SELECT $1, s.follows_rows, s.follows_versions, s.activity, c.interactions
            FROM signature s, counted c, head h
            WHERE h.copied AND NOT EXISTS (SELECT FROM cached)
            ON CONFLICT (follower_name) DO UPDATE SET
                follows_rows = EXCLUDED.follows_rows, follows_versions = EXCLUDED.follows_versions,
                activity = EXCLUDED.activity, interactions = EXCLUDED.interactions
        ),
        position AS (
            SELECT created_at AS at, post_id AS id FROM posts WHERE post_id = $2
            UNION ALL
            SELECT timestamptz '4001-01-01 00:00:00+00', 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid
            WHERE $2::uuid IS NULL
        ),
        page AS (
            -- Per followee, the newest `$3 + $4` posts they wrote, liked or commented after the position,
            -- each walked in feed order through its own index; then the page of their union.
            SELECT post_id, created_at FROM (
                SELECT a.post_id, a.created_at FROM followees f CROSS JOIN LATERAL (
                    SELECT post_id, created_at FROM posts
                    WHERE author_name = f.name
                      AND (created_at, post_id) < ((SELECT at FROM position), (SELECT id FROM position))
                    ORDER BY created_at DESC, post_id DESC LIMIT (SELECT $3::bigint + $4::bigint)
                ) a
                WHERE f.following
                UNION
                SELECT l.post_id, l.post_created_at FROM followees f CROSS JOIN LATERAL (
                    SELECT post_id, post_created_at FROM likes
                    WHERE username = f.name
                      AND (post_created_at, post_id) < ((SELECT at FROM position), (SELECT id FROM position))
                    ORDER BY post_created_at DESC, post_id DESC LIMIT (SELECT $3::bigint + $4::bigint)
                ) l
                WHERE f.following
                UNION
                SELECT c.post_id, c.post_created_at FROM followees f CROSS JOIN LATERAL (
                    SELECT DISTINCT post_created_at, post_id FROM comments
                    WHERE author_name = f.name
                      AND (post_created_at, post_id) < ((SELECT at FROM position), (SELECT id FROM position))
                    ORDER BY post_created_at DESC, post_id DESC LIMIT (SELECT $3::bigint + $4::bigint)
                ) c
                WHERE f.following
            ) candidates
            -- An offset past the total walks nothing.
            WHERE (SELECT total FROM head) > (SELECT $3::bigint)
            ORDER BY created_at DESC, post_id DESC OFFSET (SELECT $3::int) LIMIT (SELECT $4::int)
        )
        SELECT h.copied, h.total,
               p.post_id, p.author_name, p.content, p.created_at, p.latitude, p.longitude, p.accuracy,
               p.picture_url, p.picture_width, p.picture_height,
               (SELECT count(*) FROM likes l WHERE l.post_id = p.post_id),
               (SELECT count(*) FROM comments c WHERE c.post_id = p.post_id),
               coalesce((SELECT true FROM likes l WHERE l.post_id = p.post_id AND l.username = $1), false),
               o.author_name, o.content, o.created_at, o.latitude, o.longitude, o.accuracy,
               o.picture_url, o.picture_width, o.picture_height
        FROM head h
        LEFT JOIN (
            page pg JOIN posts p ON p.post_id = pg.post_id LEFT JOIN posts o ON o.post_id = p.repost_post_id
        ) ON true
        ORDER BY pg.created_at DESC, pg.post_id DESC
        """

    public var follower: String
    public var cursor: UUID?
    public var offset: Int
    public var limit: Int

    public init(follower: String, cursor: UUID?, offset: Int, limit: Int) {
        self.follower = follower
        self.cursor = cursor
        self.offset = offset
        self.limit = limit
    }

    public func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(follower)
        bindings.append(cursor)
        bindings.append(Int32(clamping: offset))
        bindings.append(Int32(clamping: limit))
        return bindings
    }

    public func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
