-- Posts, likes, comments and hashtags (CONTRACT.md §9.2, with the D08/D27 fixes). Usernames are plain
-- values: users live in the user service's schema, which this service never reads.
CREATE TABLE posts (
    post_id        uuid         PRIMARY KEY,
    author_name    varchar(20)  NOT NULL,
    content        varchar(256) NOT NULL,
    created_at     timestamptz  NOT NULL,
    latitude       real,
    longitude      real,
    accuracy       integer,
    picture_url    varchar(255),
    picture_width  integer,
    picture_height integer,
    -- The reposted post; no foreign key: reposts outlive their original (its `repost` is then null).
    repost_post_id uuid,
    CONSTRAINT location_complete CHECK ((latitude IS NULL) = (longitude IS NULL) AND (latitude IS NULL) = (accuracy IS NULL)),
    CONSTRAINT picture_complete CHECK ((picture_url IS NULL) = (picture_width IS NULL) AND (picture_url IS NULL) = (picture_height IS NULL))
);

-- Feed order is (created_at DESC, post_id DESC) everywhere (D27: post_id breaks timestamp ties).
-- Global feed and cursor lookups:
CREATE INDEX posts_feed_idx ON posts (created_at DESC, post_id DESC);
-- User feed, post counts and the "authored by a followee" part of the personal feed:
CREATE INDEX posts_author_feed_idx ON posts (author_name, created_at DESC, post_id DESC);

-- Posts per author, kept by a trigger so every writer (the service, the seed script) keeps it true: E12's
-- count is one row and the global feed's total a sum over authors, never a count over all posts.
CREATE TABLE author_post_counts (
    author_name varchar(20) PRIMARY KEY,
    posts       bigint      NOT NULL
);

CREATE FUNCTION count_author_posts() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO author_post_counts AS counted (author_name, posts) VALUES (NEW.author_name, 1)
        ON CONFLICT (author_name) DO UPDATE SET posts = counted.posts + 1;
        RETURN NEW;
    END IF;
    UPDATE author_post_counts SET posts = posts - 1 WHERE author_name = OLD.author_name;
    RETURN OLD;
END
$$;

CREATE TRIGGER posts_counted AFTER INSERT OR DELETE ON posts
    FOR EACH ROW EXECUTE FUNCTION count_author_posts();

-- `post_created_at` copies the post's (immutable) creation time so the personal feed can walk likes and
-- comments of followees in feed order through an index, without touching unrelated posts.
CREATE TABLE likes (
    post_id         uuid        NOT NULL REFERENCES posts (post_id) ON DELETE CASCADE,
    username        varchar(20) NOT NULL,
    liked_at        timestamptz NOT NULL,
    post_created_at timestamptz NOT NULL,
    PRIMARY KEY (post_id, username)
);
CREATE INDEX likes_user_feed_idx ON likes (username, post_created_at DESC, post_id DESC);

CREATE TABLE comments (
    comment_id      uuid         PRIMARY KEY,
    post_id         uuid         NOT NULL REFERENCES posts (post_id) ON DELETE CASCADE,
    author_name     varchar(20)  NOT NULL,
    content         varchar(128) NOT NULL,
    created_at      timestamptz  NOT NULL,
    post_created_at timestamptz  NOT NULL
);
-- E24 (newest first per post) and comment counts:
CREATE INDEX comments_post_idx ON comments (post_id, created_at DESC, comment_id DESC);
CREATE INDEX comments_author_feed_idx ON comments (author_name, post_created_at DESC, post_id DESC);

-- Tags are lower-case with their `#`, shared across posts (§6.4).
CREATE TABLE hashtags (
    hashtag_id uuid        PRIMARY KEY,
    content    varchar(32) NOT NULL CONSTRAINT hashtags_uq UNIQUE
);

CREATE TABLE post_hashtags (
    hashtag_id      uuid        NOT NULL REFERENCES hashtags (hashtag_id) ON DELETE CASCADE,
    post_id         uuid        NOT NULL REFERENCES posts (post_id) ON DELETE CASCADE,
    post_created_at timestamptz NOT NULL,
    PRIMARY KEY (hashtag_id, post_id)
);
-- E19 in feed order per tag:
CREATE INDEX post_hashtags_feed_idx ON post_hashtags (hashtag_id, post_created_at DESC, post_id DESC);
-- Deleting a post removes its links (cascade lookup by post):
CREATE INDEX post_hashtags_post_idx ON post_hashtags (post_id);
