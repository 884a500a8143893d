#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# `make bench [QUICK=1]`: the five processes in release mode against a bare Hummingbird baseline.
#
# 1. installs what is missing (wrk, PostgreSQL, python3 venv; matplotlib + cryptography from PyPI
#    into .data/bench/venv)
# 2. builds release binaries: alpha-services and the baseline (bench/, a package of its own that
#    `make test` never builds); ALPHA_SKIP_BUILD=1 uses the existing ones
# 3. starts its own PostgreSQL cluster (.data/bench-postgres, port BASE+432) and a fresh database,
#    then the five processes with production logging (LOG_LEVEL=info, JSON lines appended straight
#    to .data/bench/logs/<name>.log, no pipes) and the baseline, all on ports of their own
#    (ALPHA_BENCH_PORT_BASE, default 28000: gateway BASE+80, admin BASE+100…104, gRPC
#    BASE+51…54, baseline BASE+90) — never the ports of `make run` or `make test`
# 4. seeds the socfb-Reed98 graph (bench/data: 962 users, every edge followed both ways, ~10 posts
#    per user) and signs one access token per user
# 5. runs bench/tools/driver.py: interleaved rounds of every request kind against the baseline,
#    the mixed workload at fixed rates up to saturation, tracing on/off, RSS (see docs/performance.md)
# 6. writes bench/results/<timestamp>.md, .json, .png and bench/results/latest.json
# QUICK=1 runs short rounds (≤ 10 minutes after the build); the full run also measures the
# personal feed with 1M posts. Everything it started is stopped at the end, also on Ctrl-C.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

QUICK="${QUICK:-0}"
BASE="${ALPHA_BENCH_PORT_BASE:-28000}"
BENCH_DIR="$REPO_ROOT/bench"
RUN_DIR="$DATA_DIR/bench"
CLUSTER=bench-postgres
PG_PORT=$((BASE + 432))
DB=alpha_bench
VENV="$RUN_DIR/venv"

require_swift
require_cmd curl
require_cmd openssl
require_cmd wrk
require_cmd python3
python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv python3-pip
mkdir -p "$RUN_DIR" "$BENCH_DIR/results"

# --- 1. python tools -------------------------------------------------------------------------
if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c 'import matplotlib, cryptography' 2>/dev/null; then
    info "preparing the python tools in $VENV (matplotlib, cryptography)"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check matplotlib cryptography
fi
PY="$VENV/bin/python"

# --- 2. release build ------------------------------------------------------------------------
# ALPHA_BENCH_JOBS limits the build's parallelism (swift build -j); ALPHA_BENCH_SCRATCH puts the
# release build of alpha-services in another folder than .build (e.g. next to a running debug build).
BUILD_ARGS=(-c release)
if [[ -n "${ALPHA_BENCH_JOBS:-}" ]]; then BUILD_ARGS+=(-j "$ALPHA_BENCH_JOBS"); fi
SERVICES_BUILD_ARGS=("${BUILD_ARGS[@]}")
if [[ -n "${ALPHA_BENCH_SCRATCH:-}" ]]; then SERVICES_BUILD_ARGS+=(--scratch-path "$ALPHA_BENCH_SCRATCH"); fi
if [[ "${ALPHA_SKIP_BUILD:-0}" != 1 ]]; then
    info "building alpha-services (release; a cold build takes a while)"
    (cd "$SERVICES_DIR" && swift build "${SERVICES_BUILD_ARGS[@]}")
    info "building the baseline (bench/, release)"
    (cd "$BENCH_DIR" && swift build "${BUILD_ARGS[@]}" --product hello-server)
fi
BIN_DIR="${ALPHA_BIN_DIR:-$(cd "$SERVICES_DIR" && swift build "${SERVICES_BUILD_ARGS[@]}" --show-bin-path)}"
HELLO_BIN="${ALPHA_BENCH_HELLO_BIN:-$(cd "$BENCH_DIR" && swift build "${BUILD_ARGS[@]}" --show-bin-path)/hello-server}"
[[ -x "$HELLO_BIN" ]] || die "baseline not built: $HELLO_BIN (run without ALPHA_SKIP_BUILD=1)"

# --- 3. database, keys, processes ------------------------------------------------------------
KEYS="$RUN_DIR/keys"
"$SCRIPTS_DIR/dev-keys.sh" "$KEYS" >/dev/null
ensure_secret_file "$KEYS/db-password"
DB_PASSWORD="$(cat "$KEYS/db-password")"

cleanup() {
    trap '' INT TERM
    stop_processes 15
    pg_cluster_stop "$CLUSTER" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Production-like settings, except durability: the bench measures the services, not the disk.
pg_cluster_start "$CLUSTER" "$PG_PORT" max_connections=200 shared_buffers=256MB synchronous_commit=off
pg_psql "$CLUSTER" "$PG_PORT" -d postgres -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
pg_provision "$CLUSTER" "$PG_PORT" "$DB" "$DB_PASSWORD" >/dev/null

export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT="$PG_PORT" POSTGRES_DB="$DB" POSTGRES_PASSWORD="$DB_PASSWORD"
export POSTGRES_TLS=disable LOG_LEVEL="${LOG_LEVEL:-info}"
unset OTEL_EXPORTER_OTLP_ENDPOINT MAILGUN_API_KEY ALPHA_REPLICAS
# The bench sends no mail; outside ALPHA_ENV=development the notification service would refuse to start
# without Mailgun.
export MAIL_TRANSPORT=log
export PUBLIC_BASE_URL="http://127.0.0.1:$((BASE + 80))/api"
set_port_block $((BASE + 80)) $((BASE + 100)) $((BASE + 51))
unset SERVICE_CREDENTIAL JWT_PUBLIC_KEY JWT_PRIVATE_KEY VAPID_PUBLIC_KEY VAPID_PRIVATE_KEY
export_keys "$KEYS"

# start_system — the five processes (logs appended to their files, no pipes), waiting until every
# one is ready.
start_system() {
    local urls=("http://127.0.0.1:$HTTP_PORT/api/imprint") name
    start_processes "$BIN_DIR" "$RUN_DIR/logs" 0
    for name in "${ALPHA_PROCESSES[@]}"; do
        urls+=("http://127.0.0.1:$(process_admin_port "$name")/health/ready")
    done
    wait_for_processes 90 "${urls[@]}" || die "the system did not start; logs in $RUN_DIR/logs"
}

# start_baseline — the bare Hummingbird server, stopped with the others.
start_baseline() {
    HELLO_PORT=$((BASE + 90)) "$HELLO_BIN" >>"$RUN_DIR/hello.log" 2>&1 &
    PROCESS_PIDS+=("$!")
    PROCESS_NAMES+=(hello-server)
    wait_for_processes 30 "http://127.0.0.1:$((BASE + 90))/api/imprint" || die "the baseline did not start"
}

rm -rf "$RUN_DIR/logs" "$RUN_DIR/hello.log" "$RUN_DIR/raw.jsonl"
info "starting the five processes (release, $BIN_DIR) and the baseline"
start_system
start_baseline

# --- 4. seed ---------------------------------------------------------------------------------
EDGES="$BENCH_DIR/data/socfb-Reed98.edges"
info "seeding socfb-Reed98 (962 users, 37,624 follows)"
"$PY" "$BENCH_DIR/tools/seed.py" users "$EDGES" | pg_psql "$CLUSTER" "$PG_PORT" -d "$DB" -c \
    "COPY user_service.users (username, nickname, email, password, status, picture_url, picture_width, picture_height, created_at, activated_at) FROM STDIN"
"$PY" "$BENCH_DIR/tools/seed.py" follows "$EDGES" | pg_psql "$CLUSTER" "$PG_PORT" -d "$DB" -c \
    "COPY user_service.subscriptions (subscription_id, created_at, subscriber_name, subscribee_name) FROM STDIN"
# The post service's copy of the follow graph, as every user's first personal feed would copy it
# (docs/performance.md, "The personal feed's follow graph"): the rounds then measure the steady state.
pg_psql "$CLUSTER" "$PG_PORT" -d "$DB" \
    -c "INSERT INTO post_service.follows (follower_name, followee_name, following, version) SELECT subscriber_name, subscribee_name, true, 0 FROM user_service.subscriptions" \
    -c "INSERT INTO post_service.follows_copied (follower_name) SELECT username FROM user_service.users" >/dev/null
"$PY" "$BENCH_DIR/tools/seed.py" tokens "$EDGES" "$KEYS/jwt-private.pem" >"$RUN_DIR/tokens.txt"
pg_psql "$CLUSTER" "$PG_PORT" -d "$DB" -c "ANALYZE" >/dev/null

# --- 5. measure ------------------------------------------------------------------------------
export BENCH_QUICK="$QUICK" BENCH_RUN_DIR="$RUN_DIR" BENCH_DIR BENCH_TOKENS="$RUN_DIR/tokens.txt"
export BENCH_GATEWAY="http://127.0.0.1:$HTTP_PORT" BENCH_HELLO="http://127.0.0.1:$((BASE + 90))"
export BENCH_PG="$CLUSTER $PG_PORT $DB"
BENCH_PIDS="$(for i in "${!PROCESS_PIDS[@]}"; do printf '%s=%s ' "${PROCESS_NAMES[$i]}" "${PROCESS_PIDS[$i]}"; done)"
BENCH_ADMIN="$(for name in "${ALPHA_PROCESSES[@]}"; do printf '%s=%s ' "$name" "$(process_admin_port "$name")"; done)"
export BENCH_PIDS BENCH_ADMIN
"$PY" "$BENCH_DIR/tools/driver.py" measure

# ALPHA_BENCH_PROFILE=1: top symbols (perf record, grouped by bench/tools/perf_groups.py) of the gateway under
# imprint load and of the gateway and two services under profile load.
if [[ "${ALPHA_BENCH_PROFILE:-0}" == 1 ]]; then
    require_cmd perf linux-perf
    mkdir -p "$RUN_DIR/profile"
    BENCH_PROFILE_DIR="$RUN_DIR/profile" "$PY" "$BENCH_DIR/tools/driver.py" profile
fi

# Tracing on: the same system exporting every span over OTLP to a local sink.
if [[ "${ALPHA_BENCH_TRACING:-1}" == 1 ]]; then
    info "restarting with traces exported (OTLP to a local sink) for tracing on/off"
    "$PY" "$BENCH_DIR/tools/otlp_sink.py" $((BASE + 318)) >"$RUN_DIR/otlp-sink.log" 2>&1 &
    SINK_PID=$!
    stop_processes 15
    export OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$((BASE + 318))"
    start_system
    start_baseline
    PROCESS_PIDS+=("$SINK_PID")
    PROCESS_NAMES+=(otlp-sink)
    BENCH_PIDS="$(for i in "${!PROCESS_PIDS[@]}"; do printf '%s=%s ' "${PROCESS_NAMES[$i]}" "${PROCESS_PIDS[$i]}"; done)"
    export BENCH_PIDS
    "$PY" "$BENCH_DIR/tools/driver.py" tracing
fi

# --- 6. report -------------------------------------------------------------------------------
stop_processes 15
"$PY" "$BENCH_DIR/tools/report.py" "$RUN_DIR/raw.jsonl" "$BENCH_DIR/results"
