-- The personal feed's `records` total without counting everything the followees ever did on every page
-- (docs/performance.md, "The personal feed's total"). For a follower with followees F:
--   total = |posts authored by F| + |posts liked or commented by F whose author is not in F|
-- The first term is a sum of author_post_counts rows (kept by the posts_counted trigger, always exact).
-- The second changes only when the follower's follows change, when a followee likes, unlikes or comments,
-- or when such a like or comment goes with its post (a new post has no likes yet); `feed_totals` keeps it
-- with a signature of that state, and a read counts it again only when the signature differs.

-- Per user, a number that grows with every like or comment they add or lose (also when a post's deletion
-- removes them: ON DELETE CASCADE fires these triggers too). Rows are bumped under their lock, so a later
-- snapshot never sees a smaller number.
CREATE TABLE feed_activity (
    username varchar(20) PRIMARY KEY,
    version  bigint      NOT NULL
);

-- Statement level: one upsert per statement and user (a bulk insert of likes bumps each user once), in
-- username order so that two multi-user statements lock the rows in the same order. TG_ARGV[0] names the
-- transition table's user column.
CREATE FUNCTION bump_feed_activity() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    EXECUTE format(
        'INSERT INTO feed_activity AS a (username, version)
         SELECT %1$I, count(*) FROM changed GROUP BY %1$I ORDER BY %1$I
         ON CONFLICT (username) DO UPDATE SET version = a.version + EXCLUDED.version',
        TG_ARGV[0]);
    RETURN NULL;
END
$$;

CREATE TRIGGER likes_feed_activity_added AFTER INSERT ON likes REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION bump_feed_activity('username');
CREATE TRIGGER likes_feed_activity_removed AFTER DELETE ON likes REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION bump_feed_activity('username');
CREATE TRIGGER comments_feed_activity_added AFTER INSERT ON comments REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION bump_feed_activity('author_name');
CREATE TRIGGER comments_feed_activity_removed AFTER DELETE ON comments REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION bump_feed_activity('author_name');

-- A post's deletion bumps the rows of its likers, then of its commenters (two cascaded statements); two
-- deletions doing so in opposite orders would deadlock. Deleting statements therefore first lock the row
-- of the empty username (no user has it, no signature reads it), one deletion after another.
INSERT INTO feed_activity (username, version) VALUES ('', 0);

CREATE FUNCTION serialize_post_deletions() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE feed_activity SET version = version + 1 WHERE username = '';
    RETURN NULL;
END
$$;

CREATE TRIGGER posts_deletions_serialized BEFORE DELETE ON posts
    FOR EACH STATEMENT EXECUTE FUNCTION serialize_post_deletions();

-- Per follower, the last count of posts liked or commented by their followees but written by someone they
-- do not follow, and the state it was counted in: the number of the follower's `follows` rows and the sum
-- of their versions (every change of the follow copy raises one of them) and the sum of the followees'
-- feed_activity versions. Each only grows, and every write that can change the count raises one, so an
-- equal signature means the same count.
CREATE TABLE feed_totals (
    follower_name    varchar(20) PRIMARY KEY,
    follows_rows     bigint      NOT NULL,
    follows_versions bigint      NOT NULL,
    activity         bigint      NOT NULL,
    interactions     bigint      NOT NULL
);
