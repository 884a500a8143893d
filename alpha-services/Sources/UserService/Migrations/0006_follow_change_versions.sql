-- Versions of the follow changes the user service sends to the post service's copy of the follow graph
-- (alpha.post.v1.FollowChange.version): drawn after the change's row lock, so of two changes of one pair
-- the later one has the higher version.
CREATE SEQUENCE follow_change_versions;
