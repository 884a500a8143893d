-- Seeds the post service's schema (search_path = post_service) with posts, hashtags, likes and
-- comments for feed benchmarks and EXPLAIN checks. Settings (SET before running):
--   seed.posts  number of posts (e.g. 100000)
--   seed.users  authors are u0 … u<users-1> (the follow graph's user names)
-- Tags: #topic0…#topic199 (500 posts each at 100k), #weekly (every 7th post) and a tag of its own on every
-- 10th post (#once<i>), so the tag table is large, as real vocabularies are.
-- Three posts share each timestamp (30 s apart per trio) so keyset pagination meets ties (D27).
-- Every statement ends with ";" at the end of a line (PostServiceTests runs this file statement by
-- statement); each line starting with "--" is a comment.
INSERT INTO posts (post_id, author_name, content, created_at)
SELECT gen_random_uuid(),
       'u' || ((i * 7919) % current_setting('seed.users')::int),
       'seeded post ' || i || ' #topic' || (i % 200) || CASE WHEN i % 7 = 0 THEN ' #weekly' ELSE '' END
           || CASE WHEN i % 10 = 0 THEN ' #once' || i ELSE '' END,
       timestamptz '2025-01-01 00:00:00+00' + make_interval(secs => (i / 3) * 30)
FROM generate_series(1, current_setting('seed.posts')::int) AS i;
INSERT INTO hashtags (hashtag_id, content)
SELECT gen_random_uuid(), tag
FROM (SELECT DISTINCT lower(m[1]) AS tag
      FROM posts CROSS JOIN LATERAL regexp_matches(content, '(#[A-Za-z0-9_]{1,31})', 'g') AS m
      WHERE content LIKE 'seeded post %') AS tags
ON CONFLICT (content) DO NOTHING;
INSERT INTO post_hashtags (hashtag_id, post_id, post_created_at)
SELECT DISTINCT h.hashtag_id, p.post_id, p.created_at
FROM posts p
CROSS JOIN LATERAL regexp_matches(p.content, '(#[A-Za-z0-9_]{1,31})', 'g') AS m
JOIN hashtags h ON h.content = lower(m[1])
WHERE p.content LIKE 'seeded post %'
ON CONFLICT DO NOTHING;
-- About two likes per post and a comment on every other post, by pseudo-random users.
INSERT INTO likes (post_id, username, liked_at, post_created_at)
SELECT p.post_id,
       'u' || (abs(hashtext(p.post_id::text || k)) % current_setting('seed.users')::int),
       p.created_at + interval '5 minutes', p.created_at
FROM posts p CROSS JOIN generate_series(1, 2) AS k
WHERE p.content LIKE 'seeded post %'
ON CONFLICT DO NOTHING;
INSERT INTO comments (comment_id, post_id, author_name, content, created_at, post_created_at)
SELECT gen_random_uuid(), p.post_id,
       'u' || (abs(hashtext(p.post_id::text || 'c')) % current_setting('seed.users')::int),
       'seeded comment', p.created_at + interval '10 minutes', p.created_at
FROM posts p
WHERE p.content LIKE 'seeded post %' AND abs(hashtext(p.post_id::text)) % 2 = 0;
ANALYZE posts;
ANALYZE hashtags;
ANALYZE post_hashtags;
ANALYZE likes;
ANALYZE comments;
