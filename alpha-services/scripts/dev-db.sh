#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The development PostgreSQL cluster in .data/postgres (127.0.0.1:${ALPHA_PG_PORT:-5433}).
#
#   dev-db.sh start    create (first time) and start it; create database `alpha`, and one role +
#                      schema per service (password in .data/keys/db-password). Idempotent.
#   dev-db.sh stop     stop it (data kept)
#   dev-db.sh status   running or not
#   dev-db.sh psql     psql as the superuser on database alpha (extra args go to psql)
#   dev-db.sh reset    stop it and delete its data (next start begins empty)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CLUSTER=postgres
PORT="${ALPHA_PG_PORT:-$(process_field postgres port)}"  # 5433, from the process table
DB=alpha
PASSWORD_FILE="$KEYS_DIR/db-password"

start() {
    ensure_secret_file "$PASSWORD_FILE"
    pg_cluster_start "$CLUSTER" "$PORT" max_connections=200
    pg_provision "$CLUSTER" "$PORT" "$DB" "$(cat "$PASSWORD_FILE")"
    ok "PostgreSQL ready: postgres://<role>@127.0.0.1:$PORT/$DB (roles: ${ALPHA_SCHEMAS[*]}; password in $PASSWORD_FILE)"
}

case "${1:-}" in
    start) start ;;
    stop) pg_cluster_stop "$CLUSTER" ;;
    status) pg_cluster_status "$CLUSTER" "$PORT" ;;
    psql)
        shift
        pg_psql "$CLUSTER" "$PORT" -d "$DB" "$@"
        ;;
    reset) pg_cluster_destroy "$CLUSTER" ;;
    *)
        echo "usage: $0 start|stop|status|psql [args]|reset" >&2
        exit 2
        ;;
esac
