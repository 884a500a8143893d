#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# `make run`: the whole system on this machine, with development defaults.
#
# Installs what is missing, builds alpha-services (debug), starts the dev PostgreSQL
# (dev-db.sh), makes the dev keys (dev-keys.sh), then starts the five processes with their output
# on stdout (prefixed with the process name) and in .data/logs/<name>.log. Ctrl-C or SIGTERM
# stops everything and exits 0; a process that dies makes it stop everything and exit 1.
#
# Replicas: `make run REPLICAS=2` (or ALPHA_REPLICAS=2) starts two of every gRPC service, the second
# on ports +100 (user-service-2: gRPC 50151, admin 9201; ALPHA_REPLICA_PORT_STEP changes the step),
# and gives every caller all of them (USER_SERVICE_URL=127.0.0.1:50051,127.0.0.1:50151, balanced by
# the kit). In this mode a service replica that exits, whatever its status, is started again (as
# Kubernetes would) instead of stopping everything; only the gateway's exit stops everything.
#
# Everything the caller exported reaches the processes unchanged (e.g. MAILGUN_API_KEY=… make run);
# this script only fills in defaults. Per-process values are set from ALPHA_* knobs:
#   ALPHA_{GATEWAY,USER,POST,NOTIFICATION,IMAGE}_ADMIN_PORT  (9100…9104) -> ADMIN_PORT
#   ALPHA_{USER,POST,NOTIFICATION,IMAGE}_GRPC_PORT           (50051…50054) -> GRPC_PORT
#   ALPHA_PG_PORT (5433)   ALPHA_SKIP_BUILD=1 (use the existing build)   ALPHA_BIN_DIR (binaries)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
: "${ALPHA_REPLICAS:=${REPLICAS:-1}}"
export ALPHA_REPLICAS
REPLICA_COUNT="$(alpha_replicas)"

require_cmd curl
require_swift
require_image_libraries

# --- build -----------------------------------------------------------------------------------
if [[ "${ALPHA_SKIP_BUILD:-0}" != 1 ]]; then
    info "building alpha-services (debug; the first build takes a while)"
    (cd "$SERVICES_DIR" && swift build)
fi
if [[ -z "${ALPHA_BIN_DIR:-}" ]]; then
    if [[ "${ALPHA_SKIP_BUILD:-0}" == 1 && -x "$SERVICES_DIR/.build/debug/api-gateway" ]]; then
        ALPHA_BIN_DIR="$SERVICES_DIR/.build/debug"
    else
        ALPHA_BIN_DIR="$(cd "$SERVICES_DIR" && swift build --show-bin-path)"
    fi
fi

# --- database and keys -----------------------------------------------------------------------
"$SCRIPTS_DIR/dev-db.sh" start
"$SCRIPTS_DIR/dev-keys.sh"

# --- environment (defaults only: the caller's values win) -------------------------------------
: "${ALPHA_PG_PORT:=$(process_field postgres port)}"  # 5433, from the process table
: "${POSTGRES_HOST:=127.0.0.1}"
: "${POSTGRES_PORT:=$ALPHA_PG_PORT}"
: "${POSTGRES_DB:=alpha}"
: "${POSTGRES_PASSWORD:=$(cat "$KEYS_DIR/db-password")}"
export POSTGRES_HOST POSTGRES_PORT POSTGRES_DB POSTGRES_PASSWORD
set_port_defaults
export_keys "$KEYS_DIR"
export_peer_urls
: "${PUBLIC_BASE_URL:=http://localhost:$HTTP_PORT/api}"
export PUBLIC_BASE_URL
# A developer's machine: without MAILGUN_API_KEY mails (codes included) go to the log (docs/configuration.md).
: "${ALPHA_ENV:=development}"
export ALPHA_ENV

# --- processes -------------------------------------------------------------------------------
stopping=0
shutdown() {
    local code="$1"
    stopping=1
    trap '' INT TERM
    echo
    info "stopping the processes"
    stop_processes "$((${SHUTDOWN_GRACE_SECONDS:-10} + 5))"
    "$SCRIPTS_DIR/dev-db.sh" stop || true
    if [[ "$code" -eq 0 ]]; then ok "stopped"; fi
    exit "$code"
}
trap 'shutdown 0' INT TERM
trap '[[ $stopping == 1 ]] || stop_processes 5' EXIT

info "starting the five processes (binaries from $ALPHA_BIN_DIR)"
start_processes "$ALPHA_BIN_DIR" "$LOG_DIR"

ready_urls=()
for port in "${PROCESS_ADMIN_PORTS[@]}"; do
    ready_urls+=("http://127.0.0.1:$port/health/ready")
done
status=0
wait_for_processes "${ALPHA_STARTUP_TIMEOUT:-60}" "${ready_urls[@]}" || status=$?
if [[ $status -eq 1 ]]; then
    warn "a process died at start-up; its log: $LOG_DIR/<name>.log"
    shutdown 1
fi

row() { printf '  %-22s %-34s %s\n' "$@"; }
echo
if [[ $status -eq 0 ]]; then ok "Alpha is running"; else warn "started, but not every process reports ready yet"; fi
row "PROCESS" "LISTENS ON" "ADMIN (/metrics /health/live /health/ready)"
row "api-gateway" "http://localhost:$HTTP_PORT/api" "http://127.0.0.1:$ALPHA_GATEWAY_ADMIN_PORT"
for name in user-service post-service notification-service image-service; do
    for ((replica = 1; replica <= REPLICA_COUNT; replica++)); do
        row "$(replica_name "$name" "$replica")" "grpc 127.0.0.1:$(process_grpc_port "$name" "$replica")" \
            "http://127.0.0.1:$(process_admin_port "$name" "$replica")"
    done
done
row "postgresql" "127.0.0.1:$ALPHA_PG_PORT (database alpha)" "$SCRIPTS_DIR/dev-db.sh psql"
echo "  logs: $LOG_DIR/<name>.log    keys: $KEYS_DIR"
if [[ -z "${MAILGUN_API_KEY:-}" && "$ALPHA_ENV" == development ]]; then echo "  mail: MAILGUN_API_KEY is not set, mails are written to the notification-service log"; fi
echo "  Press Ctrl-C to stop."
echo

# --- supervise -------------------------------------------------------------------------------
# With replicas, a service replica that exits is started again after a pause that doubles (up to
# 30 s) while it keeps exiting within 10 s of its start (a crash loop), as Kubernetes does.
declare -A restart_delay=() started_at=()
while :; do
    exited=""
    code=0
    wait -n -p exited "${PROCESS_PIDS[@]}" || code=$?
    [[ -n "$exited" ]] || continue
    for i in "${!PROCESS_PIDS[@]}"; do
        [[ "${PROCESS_PIDS[$i]}" == "$exited" ]] || continue
        name="${PROCESS_NAMES[$i]}"
        if ((REPLICA_COUNT > 1)) && [[ "${PROCESS_EXECUTABLES[$i]}" != api-gateway ]]; then
            delay="${restart_delay[$name]:-1}"
            if ((SECONDS - ${started_at[$name]:-0} >= 10)); then delay=1; fi
            warn "$name exited (status $code); restarting it in ${delay}s. Log: $LOG_DIR/$name.log"
            sleep "$delay"
            restart_process "$i" "$ALPHA_BIN_DIR" "$LOG_DIR"
            started_at[$name]=$SECONDS
            restart_delay[$name]=$((delay * 2 > 30 ? 30 : delay * 2))
        else
            warn "$name exited (status $code); stopping everything. Log: $LOG_DIR/$name.log"
            shutdown 1
        fi
    done
done
