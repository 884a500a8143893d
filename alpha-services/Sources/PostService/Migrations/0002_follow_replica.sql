-- The post service's copy of the follow graph (docs/performance.md, "The personal feed's follow graph"):
-- filled by the user service's outbox (alpha.post.v1.FollowReplica/ApplyFollowChange) and, once per
-- follower, from the user service's FollowGraph.ListFollowees, so a personal feed page asks the user
-- service only for its authors.

-- The latest known state of each pair ever followed. An unfollow keeps its row (following = false) so
-- an older change delivered late cannot bring the follow back: a change applies only over a lower version.
-- Version 0 is a row copied from ListFollowees, which every change of the user service's outbox supersedes.
CREATE TABLE follows (
    follower_name varchar(20) NOT NULL,
    followee_name varchar(20) NOT NULL,
    following     boolean     NOT NULL,
    version       bigint      NOT NULL,
    PRIMARY KEY (follower_name, followee_name)
);

-- Followers whose followees were copied from ListFollowees: from then on the outbox's changes keep the
-- copy true, and their personal feed no longer asks the user service for followees.
CREATE TABLE follows_copied (
    follower_name varchar(20) PRIMARY KEY,
    copied_at     timestamptz NOT NULL DEFAULT now()
);
