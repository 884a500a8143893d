#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# `make drill`: fault drills under steady load on the real system (docs/testing.md).
#
# Starts everything itself, on its own ports, and removes it afterwards:
#   - a fresh PostgreSQL cluster .data/drill-postgres on 127.0.0.1:$DRILL_PG_PORT (26432; never the
#     dev 5433 or test 5434 cluster) with a database alpha_drill;
#   - a fake Mailgun (drill.py mailgun) on 127.0.0.1:$DRILL_MAILGUN_PORT (26025), reached by the
#     notification service through MAILGUN_API_BASE like the real one;
#   - the five executables from ALPHA_BIN_DIR (default alpha-services/.build/debug) through lib.sh's
#     start_processes: gateway 26080, admin 26100-26104, gRPC 26051-26054.
# Then, per drill, steady load (drill.py load: registrations, logins, profile reads at
# DRILL_RATE req/s) while a fault is injected, and a report (drill.py report):
#   a  notification service paused (SIGSTOP) for DRILL_PAUSE_SECONDS and resumed (what it received
#      meanwhile is handled late); paused again and killed (SIGKILL); started again
#   b  PostgreSQL restarted (fast shutdown, started again after 2 s)
#   c  SIGTERM to each of the five processes in turn, each started again once it exited
#   d  Mailgun answering 503 for DRILL_OUTAGE_SECONDS (30)
#   e  two replicas of every gRPC service (the system is restarted with ALPHA_REPLICAS=2 first):
#      SIGTERM to one replica of each service in turn, each started again once it exited; no
#      request may fail (run it last: later drills would see the replicated system)
# Exit 1 when any drill lost data (a registration answered 201 without an account; an account
# without its activation mail after DRILL_SETTLE_SECONDS), mailed a code for an account that was
# not stored (account and mail did not succeed or fail together), or a request outlived its
# deadline (DRILL_DEADLINE_SECONDS, 5 = the 3 s RPC deadline + 2 s). Drills a and d also fail on
# any failed request: neither fault is on a request's path once mail leaves through outboxes
# (issue 9).
#
#   DRILLS=a,b,c,d,e which drills (default all)
#   DRILL_QUICK=1    shorter: 2 s load before and 3 s after each fault, a 10 s Mailgun outage
#   DRILL_LEAD_SECONDS (3) / DRILL_TAIL_SECONDS (5)   load before / after each fault
#   DRILL_KEEP=1     keep the cluster and logs (.data/logs/drill) afterwards
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DRILLS="${DRILLS:-a,b,c,d,e}"
CLUSTER=drill-postgres
DB=alpha_drill
DB_PASSWORD=alpha_drill
: "${DRILL_PG_PORT:=26432}"
: "${DRILL_MAILGUN_PORT:=26025}"
: "${DRILL_RATE:=8}"
: "${DRILL_DEADLINE_SECONDS:=5}"
: "${DRILL_SETTLE_SECONDS:=25}"
: "${DRILL_PAUSE_SECONDS:=3}"
if [[ "${DRILL_QUICK:-0}" == 1 ]]; then
    : "${DRILL_LEAD_SECONDS:=2}" "${DRILL_TAIL_SECONDS:=3}" "${DRILL_OUTAGE_SECONDS:=10}"
else
    : "${DRILL_LEAD_SECONDS:=3}" "${DRILL_TAIL_SECONDS:=5}" "${DRILL_OUTAGE_SECONDS:=30}"
fi
RUN_DIR="$DATA_DIR/drill"
DRILL_LOG_DIR="$LOG_DIR/drill"
MAILGUN_KEY="drill-$(openssl rand -hex 8)"
MAILGUN_URL="http://127.0.0.1:$DRILL_MAILGUN_PORT"
RUN_ID="$(openssl rand -hex 2)"

require_cmd curl
require_cmd openssl
require_cmd python3
ALPHA_BIN_DIR="${ALPHA_BIN_DIR:-$SERVICES_DIR/.build/debug}"
[[ -x "$ALPHA_BIN_DIR/api-gateway" ]] || die "no executables in $ALPHA_BIN_DIR: build alpha-services first (swift build) or set ALPHA_BIN_DIR"
PSQL="$(pg_bindir)/psql"

# --- environment of the five processes: nothing from the caller's dev settings ----------------
unset MAILGUN_API_KEY OTEL_EXPORTER_OTLP_ENDPOINT SERVICE_CREDENTIAL JWT_PUBLIC_KEY JWT_PRIVATE_KEY \
    VAPID_PUBLIC_KEY VAPID_PRIVATE_KEY USER_SERVICE_URL POST_SERVICE_URL NOTIFICATION_SERVICE_URL \
    IMAGE_SERVICE_URL MAIL_TRANSPORT ALPHA_ENV ALPHA_REPLICAS
export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT="$DRILL_PG_PORT" POSTGRES_DB="$DB" \
    POSTGRES_PASSWORD="$DB_PASSWORD" POSTGRES_TLS=disable
set_port_block 26080 26100 26051  # gateway 26080, admin 26100-26104, gRPC 26051-26054
export PUBLIC_BASE_URL=http://127.0.0.1:26080/api
set_port_defaults
export_peer_urls
# Real mail through the fake Mailgun; a short backoff cap so mail held back by a drill arrives
# within the settle period (production: MAIL_BACKOFF_MAX_SECONDS 1800).
export MAIL_TRANSPORT=mailgun MAILGUN_API_KEY="$MAILGUN_KEY" MAILGUN_API_BASE="$MAILGUN_URL" \
    MAILGUN_DOMAIN=drill.example MAIL_BACKOFF_MAX_SECONDS=4 LOG_LEVEL=info
# The load comes from loopback: the gateway trusts it as a proxy, so each load client's
# X-Forwarded-For (a documentation address) is its client address; the per-address limit on code
# mails is raised above what a drill registers (the drills test faults, not the abuse limits).
export TRUSTED_PROXIES=127.0.0.1 ABUSE_LIMIT_CODE_ISSUES_PER_ADDRESS=100000
GATEWAY_URL="http://127.0.0.1:$HTTP_PORT"

# --- set-up and tear-down --------------------------------------------------------------------
MAILGUN_PID=""
LOAD_PID=""
cleanup() {
    local status=$?
    trap - EXIT
    set +e
    if [[ -n "$LOAD_PID" ]]; then kill "$LOAD_PID" 2>/dev/null; fi
    stop_processes 15
    if [[ -n "$MAILGUN_PID" ]]; then
        kill "$MAILGUN_PID" 2>/dev/null
        wait "$MAILGUN_PID" 2>/dev/null
    fi
    if [[ "${DRILL_KEEP:-0}" == 1 ]]; then
        pg_cluster_stop "$CLUSTER" || true
        info "kept: cluster $(pg_cluster_dir "$CLUSTER"), logs $DRILL_LOG_DIR, results $RUN_DIR"
    else
        pg_cluster_destroy "$CLUSTER" || true
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_cluster() {
    pg_cluster_start "$CLUSTER" "$DRILL_PG_PORT" max_connections=200 fsync=off synchronous_commit=off \
        full_page_writes=off
}

info "fault drills ($DRILLS), binaries from $ALPHA_BIN_DIR, run $RUN_ID"
pg_cluster_destroy "$CLUSTER"
start_cluster
pg_provision "$CLUSTER" "$DRILL_PG_PORT" "$DB" "$DB_PASSWORD" >/dev/null
rm -rf "$RUN_DIR" "$DRILL_LOG_DIR"
mkdir -p "$RUN_DIR" "$DRILL_LOG_DIR"
"$SCRIPTS_DIR/dev-keys.sh" "$RUN_DIR/keys" >/dev/null
export_keys "$RUN_DIR/keys"

python3 "$SCRIPTS_DIR/drill.py" mailgun --port "$DRILL_MAILGUN_PORT" --key "$MAILGUN_KEY" \
    >"$DRILL_LOG_DIR/fake-mailgun.log" 2>&1 &
MAILGUN_PID=$!

# ready_url NAME — the process's readiness endpoint.
ready_url() { echo "http://127.0.0.1:$(process_admin_port "$1")/health/ready"; }

start_processes "$ALPHA_BIN_DIR" "$DRILL_LOG_DIR" 0
ready=()
for name in "${ALPHA_PROCESSES[@]}"; do ready+=("$(ready_url "$name")"); done
if ! wait_for_processes 90 "${ready[@]}" "$MAILGUN_URL/_drill/mails"; then
    for name in "${ALPHA_PROCESSES[@]}"; do
        echo "--- last lines of $DRILL_LOG_DIR/$name.log"
        tail -n 15 "$DRILL_LOG_DIR/$name.log" || true
    done
    die "the system did not come up"
fi
python3 "$SCRIPTS_DIR/drill.py" setup --gateway "$GATEWAY_URL" --mailgun "$MAILGUN_URL" \
    --state "$RUN_DIR/users.json" --users 6

# --- process control -------------------------------------------------------------------------

# pid_of NAME — the pid of the running process NAME (started by start_processes).
pid_of() {
    local i
    for i in "${!PROCESS_NAMES[@]}"; do
        if [[ "${PROCESS_NAMES[$i]}" == "$1" ]]; then
            echo "${PROCESS_PIDS[$i]}"
            return 0
        fi
    done
    return 1
}

# forget NAME — drops an exited process from lib.sh's lists.
forget() {
    local i pids=() names=()
    for i in "${!PROCESS_NAMES[@]}"; do
        if [[ "${PROCESS_NAMES[$i]}" != "$1" ]]; then
            pids+=("${PROCESS_PIDS[$i]}")
            names+=("${PROCESS_NAMES[$i]}")
        fi
    done
    PROCESS_PIDS=("${pids[@]}")
    PROCESS_NAMES=("${names[@]}")
}

# restart NAME — starts NAME again (lib.sh's start_processes, limited to it) and waits until ready.
restart() {
    local name="$1" started=$SECONDS
    forget "$name"
    local ALPHA_PROCESSES=("$name")
    start_processes "$ALPHA_BIN_DIR" "$DRILL_LOG_DIR" 0
    if ! wait_for_processes 60 "$(ready_url "$name")"; then
        tail -n 20 "$DRILL_LOG_DIR/$name.log" >&2 || true
        die "$name did not come back"
    fi
    echo "    $name ready again after $((SECONDS - started)) s"
}

# wait_exit PID SECONDS — waits for the process to end; SIGKILL after SECONDS.
wait_exit() {
    local pid="$1" deadline=$((SECONDS + $2))
    while kill -0 "$pid" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            warn "pid $pid still running after $2 s: SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        sleep 0.1
    done
    wait "$pid" 2>/dev/null || true
}

# --- the drills ------------------------------------------------------------------------------

fault_a() {
    local pid
    pid="$(pid_of notification-service)"
    echo "    SIGSTOP notification-service (pid $pid) for ${DRILL_PAUSE_SECONDS} s, then SIGCONT"
    kill -STOP "$pid"
    sleep "$DRILL_PAUSE_SECONDS"
    kill -CONT "$pid"
    sleep 2
    echo "    SIGSTOP again, then SIGKILL while stopped"
    kill -STOP "$pid"
    sleep 1
    # (bash reports the killed background job on stderr: "Killed  env … notification-service")
    kill -KILL "$pid"
    wait_exit "$pid" 5
    sleep 1
    restart notification-service
}

fault_b() {
    echo "    stopping PostgreSQL (fast shutdown)"
    pg_cluster_stop "$CLUSTER" >/dev/null
    sleep 2
    echo "    starting PostgreSQL"
    start_cluster >/dev/null
}

fault_c() {
    local name pid started
    for name in "${ALPHA_PROCESSES[@]}"; do
        pid="$(pid_of "$name")"
        started=$SECONDS
        kill -TERM "$pid"
        wait_exit "$pid" "$((${SHUTDOWN_GRACE_SECONDS:-10} + 5))"
        echo "    SIGTERM $name: exited after $((SECONDS - started)) s"
        restart "$name"
        sleep 1
    done
}

fault_d() {
    echo "    Mailgun answers 503 for ${DRILL_OUTAGE_SECONDS} s"
    curl -fsS -o /dev/null -X POST "$MAILGUN_URL/_drill/outage?seconds=$DRILL_OUTAGE_SECONDS"
    sleep "$DRILL_OUTAGE_SECONDS"
}

# scale_to_two — restarts the system with two replicas of every gRPC service (lib.sh's
# ALPHA_REPLICAS; every caller gets both addresses), for drill e.
scale_to_two() {
    local port urls=()
    echo
    info "restarting the system with two replicas of every gRPC service"
    stop_processes 15
    export ALPHA_REPLICAS=2
    reset_peer_urls
    start_processes "$ALPHA_BIN_DIR" "$DRILL_LOG_DIR" 0
    for port in "${PROCESS_ADMIN_PORTS[@]}"; do urls+=("http://127.0.0.1:$port/health/ready"); done
    wait_for_processes 90 "${urls[@]}" || die "the replicated system did not come up"
}

# fault_e — SIGTERM to the second replica of each gRPC service in turn; each is started again (same
# ports) once it has exited, and the next one only once it is ready again.
fault_e() {
    local name i index pid started
    for name in user-service post-service notification-service image-service; do
        index=""
        for i in "${!PROCESS_NAMES[@]}"; do
            [[ "${PROCESS_NAMES[$i]}" == "$name-2" ]] && index="$i"
        done
        [[ -n "$index" ]] || die "no replica $name-2 running"
        pid="${PROCESS_PIDS[$index]}"
        started=$SECONDS
        kill -TERM "$pid"
        wait_exit "$pid" "$((${SHUTDOWN_GRACE_SECONDS:-10} + 5))"
        echo "    SIGTERM $name-2: exited after $((SECONDS - started)) s"
        restart_process "$index" "$ALPHA_BIN_DIR" "$DRILL_LOG_DIR" 0
        wait_for_processes 60 "http://127.0.0.1:${PROCESS_ADMIN_PORTS[$index]}/health/ready" ||
            die "$name-2 did not come back"
        echo "    $name-2 ready again after $((SECONDS - started)) s"
        sleep 1
    done
}

# drill ID TITLE [REPORT_OPTION...] — load in the background; the fault after DRILL_LEAD_SECONDS of
# steady load; the load goes on for DRILL_TAIL_SECONDS after the fault (recovery), then stops; then
# the report.
FAILED=0
drill() {
    local id="$1" title="$2" tag="${1}_${RUN_ID}" status=0 stop="$RUN_DIR/$1.stop"
    shift 2
    echo
    info "drill $id: $title"
    python3 "$SCRIPTS_DIR/drill.py" load --gateway "$GATEWAY_URL" --state "$RUN_DIR/users.json" \
        --out "$RUN_DIR/$id.jsonl" --tag "$tag" --seconds 150 --stop-file "$stop" --rate "$DRILL_RATE" \
        --deadline "$DRILL_DEADLINE_SECONDS" &
    LOAD_PID=$!
    sleep "$DRILL_LEAD_SECONDS"
    "fault_$id"
    sleep "$DRILL_TAIL_SECONDS"
    touch "$stop"
    wait "$LOAD_PID" || status=$?
    LOAD_PID=""
    ((status == 0)) || warn "load generator exited with $status"
    sleep 1
    python3 "$SCRIPTS_DIR/drill.py" report --drill "$id" --title "$title" --results "$RUN_DIR/$id.jsonl" \
        --summary "$RUN_DIR/summary.jsonl" --tag "$tag" --mailgun "$MAILGUN_URL" --psql "$PSQL" \
        --db-port "$DRILL_PG_PORT" --db-name "$DB" --db-password "$DB_PASSWORD" \
        --deadline "$DRILL_DEADLINE_SECONDS" --settle "$DRILL_SETTLE_SECONDS" "$@" ||
        FAILED=$((FAILED + 1))
}

IFS=',' read -r -a selected <<<"$DRILLS"
for id in "${selected[@]}"; do
    case "$id" in
        # Mail leaves through outboxes (issue 9): no request waits on the notification service or
        # on Mailgun, so drills a and d allow no failed request at all.
        a) drill a "notification service paused, killed, restarted" --no-errors ;;
        b) drill b "PostgreSQL restarted" ;;
        c) drill c "SIGTERM each process in turn, restarted" ;;
        d) drill d "Mailgun answers 503 for ${DRILL_OUTAGE_SECONDS} s" --no-errors ;;
        # Replicas drain unseen (issue 12): callers stop routing to a replica as soon as it
        # reports NOT_SERVING, before it stops listening, so no request may fail.
        e)
            scale_to_two
            drill e "SIGTERM one replica of each service (two of each), restarted" --no-errors
            ;;
        *) die "unknown drill '$id' (DRILLS=a,b,c,d,e)" ;;
    esac
done

echo
python3 "$SCRIPTS_DIR/drill.py" summary --summary "$RUN_DIR/summary.jsonl" || true
echo "logs: $DRILL_LOG_DIR   requests: $RUN_DIR/<drill>.jsonl"
((FAILED == 0)) || exit 1
