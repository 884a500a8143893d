-- The personal feed's `records` total, counted again only when it can have changed (docs/performance.md,
-- "The personal feed's total"). A follower's total depends on their followees (`follows`) and on what those
-- followees wrote, liked and commented. `feed_totals` keeps the last count with a signature of that state;
-- a read compares the signature (one row per followee) and counts again only when it differs.

-- Per user, a number that grows with every post they write and every like or comment they add or lose
-- (also through a post's deletion). Rows are bumped under their lock, so a later snapshot never sees a
-- smaller number.
CREATE TABLE feed_activity (
    username varchar(20) PRIMARY KEY,
    version  bigint      NOT NULL
);

-- The row of the empty username (no user has it) grows with every statement that deletes posts, before
-- it deletes them. It stands for the deleted posts' authors, and it makes deletions take their locks one
-- after another: a deletion also removes other users' likes and comments on the post (ON DELETE CASCADE,
-- which bumps those users' rows), and two deletions locking likers' rows in opposite orders would
-- otherwise deadlock.
INSERT INTO feed_activity (username, version) VALUES ('', 0);

-- Statement level: one upsert per statement and user (a bulk insert of a million posts bumps each author
-- once), in username order so that two multi-user statements lock the rows in the same order.
-- TG_ARGV[0] names the transition table's user column.
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

CREATE FUNCTION bump_feed_deletions() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE feed_activity SET version = version + 1 WHERE username = '';
    RETURN NULL;
END
$$;

CREATE TRIGGER posts_feed_activity AFTER INSERT ON posts REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION bump_feed_activity('author_name');
CREATE TRIGGER posts_feed_deletions BEFORE DELETE ON posts
    FOR EACH STATEMENT EXECUTE FUNCTION bump_feed_deletions();
CREATE TRIGGER likes_feed_activity_added AFTER INSERT ON likes REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION bump_feed_activity('username');
CREATE TRIGGER likes_feed_activity_removed AFTER DELETE ON likes REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION bump_feed_activity('username');
CREATE TRIGGER comments_feed_activity_added AFTER INSERT ON comments REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION bump_feed_activity('author_name');
CREATE TRIGGER comments_feed_activity_removed AFTER DELETE ON comments REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION bump_feed_activity('author_name');

-- The last count per follower and the state it was counted in: the number of the follower's `follows`
-- rows and the sum of their versions (every change of the follow copy raises one of them), the sum of the
-- followees' feed_activity versions, and the deletions' version. Each only grows, and every write that can
-- change the follower's matching posts raises one, so an equal signature means the same matching posts.
CREATE TABLE feed_totals (
    follower_name    varchar(20) PRIMARY KEY,
    follows_rows     bigint      NOT NULL,
    follows_versions bigint      NOT NULL,
    activity         bigint      NOT NULL,
    deletions        bigint      NOT NULL,
    total            bigint      NOT NULL
);
