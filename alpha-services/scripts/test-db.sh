#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The test PostgreSQL cluster in .data/test-postgres (127.0.0.1:${ALPHA_TEST_PG_PORT:-5434}), used by
# `make test` and by focused `swift test --filter` runs.
#
#   test-db.sh start   start it: created fresh when not running (durability off), superuser role
#                      alpha_test/alpha_test; prints the ALPHA_TEST_POSTGRES_* exports on stdout, so
#                      `eval "$(alpha-services/scripts/test-db.sh start)"` sets up a shell
#   test-db.sh env     print the exports only
#   test-db.sh stop    stop it
#   test-db.sh status  running or not (exit 3 when stopped)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CLUSTER=test-postgres
PORT="${ALPHA_TEST_PG_PORT:-5434}"

print_env() {
    cat <<ENV
export ALPHA_TEST_POSTGRES_HOST=127.0.0.1
export ALPHA_TEST_POSTGRES_PORT=$PORT
export ALPHA_TEST_POSTGRES_USER=alpha_test
export ALPHA_TEST_POSTGRES_PASSWORD=alpha_test
export ALPHA_TEST_POSTGRES_DB=postgres
ENV
}

start() {
    if pg_cluster_running "$CLUSTER"; then
        info "test PostgreSQL already running on 127.0.0.1:$PORT (reused)"
    else
        pg_cluster_destroy "$CLUSTER"
        # A throwaway cluster: no durability, many connections (the suites run in parallel, each with
        # its own pools, availability monitors and relays: a full run peaks near 300).
        pg_cluster_start "$CLUSTER" "$PORT" max_connections=1000 fsync=off synchronous_commit=off \
            full_page_writes=off
    fi
    pg_psql "$CLUSTER" "$PORT" -d postgres <<'SQL'
SELECT 'CREATE ROLE alpha_test' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'alpha_test') \gexec
ALTER ROLE alpha_test WITH SUPERUSER CREATEDB LOGIN PASSWORD 'alpha_test';
SQL
}

case "${1:-}" in
    start)
        start >&2
        print_env
        ;;
    env) print_env ;;
    stop) pg_cluster_stop "$CLUSTER" ;;
    status) pg_cluster_status "$CLUSTER" "$PORT" ;;
    *)
        echo "usage: $0 start|env|stop|status" >&2
        exit 2
        ;;
esac
