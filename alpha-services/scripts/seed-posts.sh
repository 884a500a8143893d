#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Seeds a database the services have migrated (`make run` once) with users, a follow graph and posts,
# for feed benchmarks and the EXPLAIN plans in docs/performance.md.
#
#   seed-posts.sh [--posts N] [--edges FILE]
#
#   --posts N     posts to create (default 100000), with hashtags (#topic0…#topic199, #weekly on every
#                 7th post, #once<i> on every 10th), ~2 likes per post and a comment on every other post
#                 (seed-posts.sql)
#   --edges FILE  follow graph: one "a b" pair of integer ids per line, followed in both directions
#                 (e.g. the socfb-Reed98 graph of DeathStarBench); without it 962 users each follow
#                 39 others (a synthetic graph of the same size)
#
# Users are u<id>, activated, password "Passw0rd!". Connects with psql through the PG* variables when
# PGHOST is set, else to the development cluster (dev-db.sh psql). Run it on an empty database: users
# that exist already are kept, posts are always added.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

posts=100000
edges=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --posts) posts="$2"; shift 2 ;;
        --edges) edges="$2"; shift 2 ;;
        *) echo "usage: $0 [--posts N] [--edges FILE]" >&2; exit 2 ;;
    esac
done
[[ "$posts" =~ ^[0-9]+$ ]] || { echo "seed-posts: --posts needs a number" >&2; exit 2; }

run_psql() {
    if [[ -n "${PGHOST:-}" ]]; then
        psql -v ON_ERROR_STOP=1 -q "$@"
    else
        bash "$here/dev-db.sh" psql -v ON_ERROR_STOP=1 -q "$@"
    fi
}

# The follow graph as "follower followee" lines.
graph="$(mktemp)"
trap 'rm -f "$graph"' EXIT
if [[ -n "$edges" ]]; then
    awk 'NF >= 2 && $1 != $2 { print $1, $2; print $2, $1 }' "$edges" | sort -u >"$graph"
else
    awk 'BEGIN { n = 962; for (i = 0; i < n; i++) for (j = 1; j <= 39; j++) print i, (i + j * j * 7 + j) % n }' |
        awk '$1 != $2' | sort -u >"$graph"
fi
users="$(awk '{ print $1; print $2 }' "$graph" | sort -n | tail -1)"
users=$((users + 1))
echo "seed-posts: $users users, $(wc -l <"$graph") follows, $posts posts"

# bcrypt (cost 10) of "Passw0rd!".
hash='$2b$10$ldAlds29X8djl.iSzvvYKujf96Xo1xdavkyLZvPQDqU0xJI00n42G'
run_psql <<SQL
SET search_path = user_service;
INSERT INTO users (username, nickname, email, password, picture_url, picture_width, picture_height, activated_at)
SELECT 'u' || i, 'User ' || i, 'u' || i || '@example.org', '$hash',
       'https://getdrawings.com/free-icon/default-avatar-icon-62.png', 512, 512, now()
FROM generate_series(0, $users - 1) AS i
ON CONFLICT DO NOTHING;
CREATE TEMP TABLE seed_graph (follower int, followee int);
\copy seed_graph FROM '$graph' WITH (FORMAT text, DELIMITER ' ')
INSERT INTO subscriptions (subscription_id, created_at, subscriber_name, subscribee_name)
SELECT gen_random_uuid(), now(), 'u' || follower, 'u' || followee FROM seed_graph
ON CONFLICT DO NOTHING;
ANALYZE users;
ANALYZE subscriptions;
SET search_path = post_service;
SET seed.posts = '$posts';
SET seed.users = '$users';
\i $here/seed-posts.sql
SQL
echo "seed-posts: done"
