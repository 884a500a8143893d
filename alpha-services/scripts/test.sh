#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# `make test`: builds and tests both packages against a real PostgreSQL, from a clean checkout.
#
# 1. installs what is missing (PostgreSQL server, curl, openssl, python3 venv)
# 2. starts the test cluster (test-db.sh: .data/test-postgres on 127.0.0.1:5434, fresh when it was
#    not running; stopped at the end unless it was already running) and exports
#    ALPHA_TEST_POSTGRES_*
# 3. makes test keys in .data/test-keys (ALPHA_TEST_KEYS_DIR)
# 4. alpha-shared: swift build --build-tests, swift test
# 5. alpha-services: swift build, swift build --build-tests, swift test (ALPHA_BIN_DIR = the
#    built executables, for the end-to-end tests)
# 5b. generate.sh --check (`make check-generated`; the protoc plugins are built in debug into
#    alpha-services' build folder, reusing its SwiftProtobuf), then examples/greeter-service (a
#    service in its own package, docs/new-service.md): swift build --build-tests and swift test, with
#    --scratch-path alpha-services/.build so the kit and its dependencies are not built again
# 5c. api_reference.py --check: docs/api.md's generated reference matches openapi.json and the
#    error catalog (AlphaDomain/ErrorCode.swift)
# 6. if scripts/schemathesis.sh exists: starts the five executables on a fresh database with
#    non-default ports (gateway 18080, admin 19100-19104, gRPC 15051-15054) and runs it
# 7. check-chart.sh: the Helm chart rendered offline and validated (a venv in .data/venv-chart)
# 8. drill.sh: fault drills under load on the built executables, with their own PostgreSQL
#    cluster (.data/drill-postgres, 127.0.0.1:26432) and ports (gateway 26080, ...)
# Exits non-zero when any step fails, after a summary. CI=true is passed through to the suites.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TEST_CLUSTER=test-postgres
TEST_PG_PORT="${ALPHA_TEST_PG_PORT:-5434}"
export ALPHA_TEST_PG_PORT="$TEST_PG_PORT"
TEST_KEYS_DIR="$DATA_DIR/test-keys"
SCHEMATHESIS="$SCRIPTS_DIR/schemathesis.sh"
STACK_LOG_DIR="$LOG_DIR/test-stack"

info "make test (CI=${CI:-unset}, swift: $(swift --version 2>/dev/null | head -1 || echo missing))"

# --- 1. tools --------------------------------------------------------------------------------
require_swift
require_image_libraries
require_cmd curl
require_cmd openssl
if [[ -f "$SCHEMATHESIS" ]]; then
    require_cmd python3
    python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv python3-pip
fi

# --- 2. test PostgreSQL ----------------------------------------------------------------------
cluster_was_running=0
cleanup() {
    stop_processes 10
    if [[ $cluster_was_running == 0 ]]; then
        "$SCRIPTS_DIR/test-db.sh" stop || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if "$SCRIPTS_DIR/test-db.sh" status >/dev/null; then
    cluster_was_running=1
    info "the test cluster was already running: reused, and left running afterwards"
fi
test_db_env="$("$SCRIPTS_DIR/test-db.sh" start)"
eval "$test_db_env"

# --- 3. test keys ----------------------------------------------------------------------------
rm -rf "$TEST_KEYS_DIR"
"$SCRIPTS_DIR/dev-keys.sh" "$TEST_KEYS_DIR" >/dev/null
export ALPHA_TEST_KEYS_DIR="$TEST_KEYS_DIR"

# --- steps -----------------------------------------------------------------------------------
RESULTS=()
FAILED=0

# step NAME FUNCTION — runs it, records ok/FAILED and the time taken.
step() {
    local name="$1" start=$SECONDS status=0
    shift
    echo
    info "$name"
    "$@" || status=$?
    if [[ $status -eq 0 ]]; then
        RESULTS+=("ok|$name|$((SECONDS - start)) s")
    else
        RESULTS+=("FAILED|$name|$((SECONDS - start)) s, exit $status")
        FAILED=$((FAILED + 1))
    fi
    return "$status"
}

skip() { RESULTS+=("skipped|$1|$2"); }

# alpha-shared builds into alpha-services' build folder: both packages use the same dependencies,
# so they are compiled once (a clean clone saves ~6 minutes), and switching packages is a no-op.
shared_build_tests() (cd "$SHARED_DIR" && swift build --build-tests --scratch-path "$SERVICES_DIR/.build")
shared_test() (cd "$SHARED_DIR" && swift test --skip-build --scratch-path "$SERVICES_DIR/.build")
services_build() (cd "$SERVICES_DIR" && swift build)
services_build_tests() (cd "$SERVICES_DIR" && swift build --build-tests)
services_test() (cd "$SERVICES_DIR" && swift test)

# schemathesis_run — the five executables on a fresh database, then schemathesis.sh against them.
schemathesis_run() (
    local db=alpha_schemathesis status=0 name
    # (set -e does not apply inside a function called from `step`: check each command.)
    pg_psql "$TEST_CLUSTER" "$TEST_PG_PORT" -d postgres -c "SET client_min_messages = warning" \
        -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || return 1
    pg_provision "$TEST_CLUSTER" "$TEST_PG_PORT" "$db" alpha_test || return 1

    # A known environment: nothing from the caller's dev settings, never real mail or traces.
    unset MAILGUN_API_KEY OTEL_EXPORTER_OTLP_ENDPOINT SERVICE_CREDENTIAL JWT_PUBLIC_KEY \
        JWT_PRIVATE_KEY VAPID_PUBLIC_KEY VAPID_PRIVATE_KEY
    export ALPHA_ENV=development  # no Mailgun here: mails go to the log
    export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT="$TEST_PG_PORT" POSTGRES_DB="$db" \
        POSTGRES_PASSWORD=alpha_test POSTGRES_TLS=disable
    unset ALPHA_REPLICAS
    set_port_block 18080 19100 15051  # gateway 18080, admin 19100-19104, gRPC 15051-15054
    export PUBLIC_BASE_URL=http://127.0.0.1:18080/api
    export_keys "$TEST_KEYS_DIR"

    rm -rf "$STACK_LOG_DIR"
    trap 'stop_processes 15' EXIT
    start_processes "$ALPHA_BIN_DIR" "$STACK_LOG_DIR" 0 || return 1
    local urls=(http://127.0.0.1:18080/api/imprint)
    for name in "${ALPHA_PROCESSES[@]}"; do
        urls+=("http://127.0.0.1:$(process_admin_port "$name")/health/ready")
    done
    if ! wait_for_processes 90 "${urls[@]}"; then
        for name in "${ALPHA_PROCESSES[@]}"; do
            echo "--- last lines of $STACK_LOG_DIR/$name.log"
            tail -n 15 "$STACK_LOG_DIR/$name.log" || true
        done
        return 1
    fi
    info "system up (logs in $STACK_LOG_DIR); running $SCHEMATHESIS"
    # Run from .data so tool caches (.schemathesis/, …) land in the git-ignored folder.
    (cd "$DATA_DIR" && ALPHA_GATEWAY_URL=http://127.0.0.1:18080 \
        JWT_PRIVATE_KEY_FILE="$TEST_KEYS_DIR/jwt-private.pem" bash "$SCHEMATHESIS") || status=$?
    stop_processes 15
    return "$status"
)

# --- 3b. formatting: every Swift file as `make format` leaves it (swift format lint --strict) ----
format_lint() (cd "$REPO_ROOT" && make -s lint)
step "swift format lint --strict (make lint)" format_lint || true

# --- 4. alpha-shared -------------------------------------------------------------------------
if step "alpha-shared: swift build --build-tests" shared_build_tests; then
    step "alpha-shared: swift test" shared_test || true
else
    skip "alpha-shared: swift test" "build failed"
fi

# --- 5. alpha-services -----------------------------------------------------------------------
if step "alpha-services: swift build" services_build; then
    ALPHA_BIN_DIR="$(cd "$SERVICES_DIR" && swift build --show-bin-path)"
    export ALPHA_BIN_DIR
    if step "alpha-services: swift build --build-tests" services_build_tests; then
        step "alpha-services: swift test" services_test || true
    else
        skip "alpha-services: swift test" "test build failed"
    fi
    # --- 6. schemathesis ---------------------------------------------------------------------
    if [[ -f "$SCHEMATHESIS" ]]; then
        step "schemathesis against the running system" schemathesis_run || true
    else
        skip "schemathesis" "no scripts/schemathesis.sh yet"
    fi
else
    skip "alpha-services: swift build --build-tests" "build failed"
    skip "alpha-services: swift test" "build failed"
    skip "schemathesis" "build failed"
fi

# --- 5b. generated code, and the example service in its own package ---------------------------
EXAMPLE_DIR="$REPO_ROOT/examples/greeter-service"
check_generated() { bash "$SCRIPTS_DIR/generate.sh" --check; }
example_build_tests() (cd "$EXAMPLE_DIR" && swift build --build-tests --scratch-path "$SERVICES_DIR/.build")
example_test() (cd "$EXAMPLE_DIR" && swift test --skip-build --scratch-path "$SERVICES_DIR/.build")
if [[ -n "${ALPHA_BIN_DIR:-}" ]]; then
    step "generated code is up to date (make check-generated)" check_generated || true
    if step "examples/greeter-service: swift build --build-tests" example_build_tests; then
        step "examples/greeter-service: swift test" example_test || true
    else
        skip "examples/greeter-service: swift test" "build failed"
    fi
else
    skip "generated code is up to date" "alpha-services build failed"
    skip "examples/greeter-service" "alpha-services build failed"
fi

# --- 5c. docs/api.md: the generated REST reference matches openapi.json and the error catalog ----
api_reference_check() { require_cmd python3 && python3 "$SCRIPTS_DIR/api_reference.py" --check; }
step "docs/api.md is up to date (api_reference.py --check)" api_reference_check || true

# --- 7. Helm chart (offline: rendered and validated, no cluster) --------------------------------
chart_check() { bash "$SCRIPTS_DIR/check-chart.sh"; }
step "Helm chart: render + validate (check-chart.sh)" chart_check || true

# --- 8. fault drills (drill.sh: own PostgreSQL cluster and ports, the built executables) --------
drill_run() { bash "$SCRIPTS_DIR/drill.sh"; }
if [[ -n "${ALPHA_BIN_DIR:-}" ]]; then
    step "fault drills under load (drill.sh)" drill_run || true
else
    skip "fault drills" "build failed"
fi

# --- summary ---------------------------------------------------------------------------------
echo
info "make test summary"
for result in "${RESULTS[@]}"; do
    IFS='|' read -r status name detail <<<"$result"
    printf '  %-8s %-48s %s\n' "$status" "$name" "$detail"
done
if [[ $FAILED -gt 0 ]]; then
    bad "make test: FAILED ($FAILED of ${#RESULTS[@]} steps failed)"
    exit 1
fi
ok "make test: OK (${#RESULTS[@]} steps in ${SECONDS} s)"
