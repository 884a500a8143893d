# shellcheck shell=bash
# Shared helpers for the Alpha dev scripts. Source it; do not run it.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# Provides: paths (REPO_ROOT, DATA_DIR, ...), messages, installing missing Debian packages,
# local PostgreSQL clusters under .data/, and starting/stopping the five Alpha processes.

# ---------------------------------------------------------------------------------------------
# Paths
# shellcheck disable=SC2034 # used by the scripts that source this file

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SERVICES_DIR="$(cd "$SCRIPTS_DIR/.." && pwd)"
REPO_ROOT="$(cd "$SERVICES_DIR/.." && pwd)"
SHARED_DIR="$REPO_ROOT/alpha-shared"
DATA_DIR="$REPO_ROOT/.data"
KEYS_DIR="$DATA_DIR/keys"
LOG_DIR="$DATA_DIR/logs"
export REPO_ROOT DATA_DIR

# The OS user that owns the PostgreSQL clusters when the scripts run as root.
PG_OS_USER="alpha"

# Every swift command must see this: without it SwiftPM re-plans and recompiles several dependencies
# whenever you switch between `swift build` and `swift test` (docs/testing.md).
export SWIFT_DETERMINISTIC_HASHING=1
if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
    export PATH="$PATH:/opt/swift/usr/bin"
fi

# ---------------------------------------------------------------------------------------------
# Messages

if [[ -t 1 ]]; then
    _c_bold=$'\e[1m' _c_red=$'\e[31m' _c_yellow=$'\e[33m' _c_green=$'\e[32m' _c_off=$'\e[0m'
else
    _c_bold="" _c_red="" _c_yellow="" _c_green="" _c_off=""
fi

info() { printf '%s==>%s %s\n' "$_c_bold" "$_c_off" "$*"; }
ok() { printf '%s==>%s %s\n' "$_c_green" "$_c_off" "$*"; }
bad() { printf '%s==>%s %s\n' "$_c_red" "$_c_off" "$*"; }
warn() { printf '%swarning:%s %s\n' "$_c_yellow" "$_c_off" "$*" >&2; }
die() {
    printf '%serror:%s %s\n' "$_c_red" "$_c_off" "$*" >&2
    exit 1
}

# ---------------------------------------------------------------------------------------------
# Installing what is missing (Debian packages only)

_APT_UPDATED=0

# apt_install PACKAGE... — non-interactive install, as root or through sudo.
apt_install() {
    local sudo=()
    if [[ $EUID -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to install: $*"
        sudo=(sudo)
    fi
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install these yourself: $*"
    info "installing $* (apt-get)"
    local out
    out="$(mktemp)"
    if [[ $_APT_UPDATED -eq 0 ]]; then
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$out" 2>&1 ||
            warn "apt-get update failed: $(tail -n 3 "$out")"
        _APT_UPDATED=1
    fi
    if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
        >"$out" 2>&1; then
        cat "$out" >&2
        rm -f "$out"
        die "could not install $*"
    fi
    rm -f "$out"
}

# require_cmd COMMAND [PACKAGE] — installs PACKAGE (default: COMMAND) when COMMAND is missing.
require_cmd() {
    local cmd="$1" pkg="${2:-$1}"
    command -v "$cmd" >/dev/null 2>&1 && return 0
    apt_install "$pkg"
    command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' still missing after installing $pkg"
}

require_swift() {
    command -v swift >/dev/null 2>&1 || die "swift not found (expected on PATH or at /opt/swift/usr/bin)"
}

# require_image_libraries — the image decoders the image service links (libjpeg-turbo, libpng,
# libwebp; the system-library target CImageLibraries), installed as the distribution's -dev packages
# when one of their headers is missing.
require_image_libraries() {
    local header missing=0
    for header in jpeglib.h png.h webp/decode.h webp/encode.h; do
        [[ -f "/usr/include/$header" ]] || compgen -G "/usr/include/*/$header" >/dev/null || missing=1
    done
    [[ $missing -eq 0 ]] && return 0
    apt_install libjpeg-dev libpng-dev libwebp-dev
}

# ---------------------------------------------------------------------------------------------
# The process table: alpha-services/processes.tsv (names, kinds, ports, schemas, calls, roles)

PROCESS_TABLE="$SERVICES_DIR/processes.tsv"

# process_table_rows — the table's data rows, tab-separated (no comments, no header).
process_table_rows() { awk '!/^#/ && header++' "$PROCESS_TABLE"; }

# process_field NAME COLUMN — the COLUMN (a header name) of NAME's row; "" for "-".
process_field() {
    local value
    value="$(awk -F'\t' -v name="$1" -v column="$2" '
        /^#/ { next }
        !header++ { for (i = 1; i <= NF; i++) at[$i] = i; next }
        $1 == name && (column in at) { print $(at[column]); found = 1 }
        END { exit !found }' "$PROCESS_TABLE")" || die "no $2 of process $1 in $PROCESS_TABLE"
    [[ "$value" == - ]] && value=""
    echo "$value"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL: binaries

# pg_bindir — prints the directory holding initdb/pg_ctl/psql, installing postgresql if needed.
# The distribution keeps them off PATH, in /usr/lib/postgresql/<version>/bin.
_pg_find_bindir() {
    local dir
    if [[ -n "${PG_BINDIR:-}" && -x "${PG_BINDIR}/initdb" ]]; then
        echo "$PG_BINDIR"
        return 0
    fi
    if command -v pg_config >/dev/null 2>&1; then
        dir="$(pg_config --bindir 2>/dev/null || true)"
        if [[ -n "$dir" && -x "$dir/initdb" ]]; then
            echo "$dir"
            return 0
        fi
    fi
    # shellcheck disable=SC2012 # plain version folder names
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
    if [[ -n "$dir" && -x "$dir/initdb" ]]; then
        echo "$dir"
        return 0
    fi
    return 1
}

pg_bindir() {
    if ! _pg_find_bindir; then
        apt_install postgresql >&2
        _pg_find_bindir || die "PostgreSQL server binaries not found after installing postgresql"
    fi
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL: running as an unprivileged user

# PostgreSQL refuses to run as root: as root, the clusters belong to the system user `alpha`.
pg_os_user() {
    if [[ $EUID -eq 0 ]]; then echo "$PG_OS_USER"; else id -un; fi
}

ensure_pg_os_user() {
    [[ $EUID -eq 0 ]] || return 0
    if ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
        info "creating the unprivileged system user '$PG_OS_USER' to own the local PostgreSQL clusters" >&2
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$PG_OS_USER"
    fi
}

# as_pg COMMAND... — runs a command as the cluster owner (from /, so no cwd warnings).
as_pg() {
    if [[ $EUID -eq 0 ]]; then
        (cd / && runuser -u "$PG_OS_USER" -- "$@")
    else
        "$@"
    fi
}

# pg_root — where the clusters live: $DATA_DIR, unless the cluster owner cannot reach it
# (e.g. a checkout under /root as root), then a folder under /var/lib/alpha-pg.
pg_root() {
    local fallback
    mkdir -p "$DATA_DIR"
    if [[ $EUID -ne 0 ]]; then
        echo "$DATA_DIR"
        return 0
    fi
    ensure_pg_os_user
    if as_pg test -x "$DATA_DIR"; then
        echo "$DATA_DIR"
    else
        fallback="/var/lib/alpha-pg/$(printf '%s' "$REPO_ROOT" | sha1sum | cut -c1-12)"
        mkdir -p "$fallback"
        chmod 755 /var/lib/alpha-pg "$fallback"
        echo "$fallback"
    fi
}

# pg_sockets_dir — unix socket folder (paths to sockets are limited to ~107 bytes).
pg_sockets_dir() {
    local dir
    dir="$(pg_root)/sockets"
    if ((${#dir} > 90)); then
        dir="/tmp/alpha-pg-$(printf '%s' "$REPO_ROOT" | sha1sum | cut -c1-12)"
    fi
    echo "$dir"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL: clusters
#
# A cluster is named by its folder under .data: `postgres` (dev) or `test-postgres` (tests).

pg_cluster_dir() { echo "$(pg_root)/$1"; }

# pg_log_file NAME — the server log (.data/logs/NAME.log normally).
pg_log_file() { echo "$(pg_root)/logs/$1.log"; }

pg_cluster_running() {
    local bindir dir
    dir="$(pg_cluster_dir "$1")"
    [[ -f "$dir/PG_VERSION" ]] || return 1
    bindir="$(pg_bindir)"
    as_pg "$bindir/pg_ctl" status -D "$dir" >/dev/null 2>&1
}

# pg_cluster_init NAME — initdb once (peer auth on the socket, scram-sha-256 over TCP).
pg_cluster_init() {
    local name="$1" bindir dir owner
    bindir="$(pg_bindir)"
    dir="$(pg_cluster_dir "$name")"
    [[ -f "$dir/PG_VERSION" ]] && return 0
    ensure_pg_os_user
    owner="$(pg_os_user)"
    info "creating PostgreSQL cluster in $dir"
    mkdir -p "$dir" "$LOG_DIR"
    chmod 700 "$dir"
    if [[ $EUID -eq 0 ]]; then
        chown "$owner:" "$dir"
        if [[ "$(pg_root)" != "$DATA_DIR" ]]; then
            ln -sfn "$dir" "$DATA_DIR/$name"
        fi
    fi
    as_pg "$bindir/initdb" -D "$dir" --username="$owner" --encoding=UTF8 --locale=C.UTF-8 \
        --auth-local=peer --auth-host=scram-sha-256 >"$LOG_DIR/$name.initdb.log" 2>&1 ||
        die "initdb failed, see $LOG_DIR/$name.initdb.log"
}

# pg_cluster_start NAME PORT [SETTING=VALUE...] — starts the cluster on 127.0.0.1:PORT.
pg_cluster_start() {
    local name="$1" port="$2"
    shift 2
    local bindir dir sockets logfile opts setting
    bindir="$(pg_bindir)"
    dir="$(pg_cluster_dir "$name")"
    if pg_cluster_running "$name"; then
        info "PostgreSQL ($name) already running"
        return 0
    fi
    pg_cluster_init "$name"
    sockets="$(pg_sockets_dir)"
    logfile="$(pg_log_file "$name")"
    mkdir -p "$sockets" "$(dirname "$logfile")"
    touch "$logfile"
    if [[ $EUID -eq 0 ]]; then
        chown "$PG_OS_USER:" "$sockets" "$logfile"
    fi
    opts="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$sockets"
    for setting in "$@"; do
        opts+=" -c $setting"
    done
    info "starting PostgreSQL ($name) on 127.0.0.1:$port"
    if ! as_pg "$bindir/pg_ctl" start -D "$dir" -l "$logfile" -w -t 60 -o "$opts" >/dev/null; then
        tail -n 20 "$logfile" >&2 || true
        die "PostgreSQL ($name) did not start; log: $logfile"
    fi
}

# pg_cluster_status NAME PORT — prints whether the cluster runs; exit 3 when it is stopped.
pg_cluster_status() {
    if pg_cluster_running "$1"; then
        echo "running: $(pg_cluster_dir "$1") on 127.0.0.1:$2"
    else
        echo "stopped"
        return 3
    fi
}

pg_cluster_stop() {
    local name="$1" bindir dir
    bindir="$(pg_bindir)"
    dir="$(pg_cluster_dir "$name")"
    if ! pg_cluster_running "$name"; then
        info "PostgreSQL ($name) is not running"
        return 0
    fi
    info "stopping PostgreSQL ($name)"
    as_pg "$bindir/pg_ctl" stop -D "$dir" -m fast -w -t 60 >/dev/null
}

# pg_cluster_destroy NAME — stops it and removes its data.
pg_cluster_destroy() {
    local name="$1" dir
    dir="$(pg_cluster_dir "$name")"
    if pg_cluster_running "$name"; then pg_cluster_stop "$name"; fi
    rm -rf "$dir" "$LOG_DIR/$name.initdb.log"
    [[ -L "$DATA_DIR/$name" ]] && rm -f "$DATA_DIR/$name"
    return 0
}

# pg_psql NAME PORT [psql args...] — psql as the cluster's superuser over the unix socket.
pg_psql() {
    local name="$1" port="$2"
    shift 2
    local bindir
    bindir="$(pg_bindir)"
    as_pg "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$(pg_sockets_dir)" -p "$port" \
        -U "$(pg_os_user)" "$@"
}

# The services that own a schema (the process table's `schema` column); role name = schema name.
mapfile -t ALPHA_SCHEMAS < <(awk -F'\t' '!/^#/ && header++ && $4 != "-" { print $4 }' "$PROCESS_TABLE")

# pg_provision NAME PORT DATABASE PASSWORD — idempotently creates DATABASE and, per service, a
# login role that owns a schema of the same name (password auth over TCP).
pg_provision() {
    local name="$1" port="$2" db="$3" password="$4" schema
    if [[ "$(pg_psql "$name" "$port" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]]; then
        info "creating database $db"
        pg_psql "$name" "$port" -d postgres -c "CREATE DATABASE \"$db\"" || return 1
    fi
    for schema in "${ALPHA_SCHEMAS[@]}"; do
        pg_psql "$name" "$port" -d "$db" -v role="$schema" -v pw="$password" -v db="$db" <<'SQL' || return 1
SET client_min_messages = warning;
SELECT format('CREATE ROLE %I LOGIN', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'role', :'pw') \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', :'db', :'role') \gexec
-- The user service's migrations install the trusted extension fuzzystrmatch (user search), which
-- needs CREATE on the database.
SELECT format('GRANT CREATE ON DATABASE %I TO %I', :'db', :'role') WHERE :'role' = 'user_service' \gexec
SELECT format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', :'role', :'role') \gexec
SELECT format('ALTER SCHEMA %I OWNER TO %I', :'role', :'role') \gexec
SELECT format('ALTER ROLE %I IN DATABASE %I SET search_path = %I', :'role', :'db', :'role') \gexec
SQL
    done
    pg_psql "$name" "$port" -d "$db" -c "REVOKE ALL ON SCHEMA public FROM PUBLIC"
}

# ---------------------------------------------------------------------------------------------
# Keys

# ensure_secret_file FILE — 32 random bytes as hex, created once, mode 600.
ensure_secret_file() {
    local file="$1"
    [[ -s "$file" ]] && return 0
    require_cmd openssl
    (umask 077 && mkdir -p "$(dirname "$file")" && openssl rand -hex 32 >"$file")
}

# ---------------------------------------------------------------------------------------------
# The five processes

# The gateway and the services, in the process table's order (the gateway first).
mapfile -t ALPHA_PROCESSES < <(awk -F'\t' '!/^#/ && header++ && $2 != "database" { print $1 }' "$PROCESS_TABLE")

# Per-process knobs of the scripts (GRPC_PORT/ADMIN_PORT differ per process, so the scripts
# set them from these): ALPHA_<P>_GRPC_PORT and ALPHA_<P>_ADMIN_PORT, P = the table's prefix.
_process_prefix() { process_field "$1" prefix; }

# set_port_defaults — default ports of `make run`, from the process table (the caller's values win):
# HTTP_PORT for the gateway, ALPHA_<P>_GRPC_PORT and ALPHA_<P>_ADMIN_PORT.
set_port_defaults() {
    local name kind prefix port admin var
    while IFS=$'\t' read -r name kind prefix _ port admin _; do
        case "$kind" in
            gateway) : "${HTTP_PORT:=$port}" ;;
            service)
                var="ALPHA_${prefix}_GRPC_PORT"
                [[ -n "${!var:-}" ]] || printf -v "$var" '%s' "$port"
                ;;
            *) continue ;;
        esac
        var="ALPHA_${prefix}_ADMIN_PORT"
        [[ -n "${!var:-}" ]] || printf -v "$var" '%s' "$admin"
    done < <(process_table_rows)
    export HTTP_PORT
}

# process_admin_port NAME [REPLICA] — the admin port of NAME (of its replica REPLICA, 1-based).
process_admin_port() {
    local var
    var="ALPHA_$(_process_prefix "$1")_ADMIN_PORT"
    replica_port "${!var}" "${2:-1}"
}

# process_grpc_port NAME [REPLICA] — the gRPC port of NAME (of its replica REPLICA, 1-based).
process_grpc_port() {
    local var
    [[ "$1" == api-gateway ]] && return 0
    var="ALPHA_$(_process_prefix "$1")_GRPC_PORT"
    replica_port "${!var}" "${2:-1}"
}

# ---------------------------------------------------------------------------------------------
# Replicas: ALPHA_REPLICAS=N (`make run REPLICAS=N`) runs every gRPC service N times (the gateway
# once). Replica R (1-based) listens on the service's ports + (R-1) * ALPHA_REPLICA_PORT_STEP
# (default 100): with the default ports user-service-2 serves gRPC on 50151 and admin on 9201.

# alpha_replicas — how many replicas of each gRPC service (ALPHA_REPLICAS, default 1).
alpha_replicas() {
    local n="${ALPHA_REPLICAS:-1}"
    [[ "$n" =~ ^[1-9][0-9]?$ ]] || die "ALPHA_REPLICAS must be a number from 1 to 99, got '$n'"
    echo "$n"
}

# replica_port BASE_PORT REPLICA — the port of replica REPLICA.
replica_port() { echo $(($1 + ($2 - 1) * ${ALPHA_REPLICA_PORT_STEP:-100})); }

# replica_name NAME REPLICA — NAME for the first replica, NAME-R for the others.
replica_name() { if (($2 == 1)); then echo "$1"; else echo "$1-$2"; fi; }

# replica_addresses BASE_PORT — "127.0.0.1:P1,127.0.0.1:P2,..." over every replica (a client target
# the kit balances over).
replica_addresses() {
    local base="$1" r n list=""
    n="$(alpha_replicas)"
    for ((r = 1; r <= n; r++)); do
        list+="${list:+,}127.0.0.1:$(replica_port "$base" "$r")"
    done
    echo "$list"
}

# export_keys DIR — exports the key material of DIR (made by dev-keys.sh) for the processes, and the
# token policy (export_token_policy). Values the caller already set win.
export_keys() {
    local dir="$1"
    : "${SERVICE_CREDENTIAL:=$(cat "$dir/service-credential")}"
    : "${JWT_PUBLIC_KEY:=$(cat "$dir/jwt-public.pem")}"
    : "${JWT_PRIVATE_KEY:=$(cat "$dir/jwt-private.pem")}"
    : "${VAPID_PUBLIC_KEY:=$(cat "$dir/vapid-public.txt")}"
    : "${VAPID_PRIVATE_KEY:=$(cat "$dir/vapid-private.txt")}"
    export SERVICE_CREDENTIAL JWT_PUBLIC_KEY JWT_PRIVATE_KEY VAPID_PUBLIC_KEY VAPID_PRIVATE_KEY
    export_token_policy
}

# export_token_policy — Alpha's token policy (the contract's `iss`, `aud` and lifetimes), which the kit
# does not build in: every process verifies tokens against it, the gateway issues under it
# (docs/configuration.md). Values the caller already set win.
export_token_policy() {
    : "${TOKEN_ISSUER:=alpha-api-gateway}"
    : "${TOKEN_AUDIENCE:=server-alpha}"
    : "${ACCESS_TOKEN_TTL_SECONDS:=86400}"
    : "${REFRESH_TOKEN_TTL_SECONDS:=604800}"
    export TOKEN_ISSUER TOKEN_AUDIENCE ACCESS_TOKEN_TTL_SECONDS REFRESH_TOKEN_TTL_SECONDS
}

# export_peer_urls — where callers find the services: <P>_SERVICE_URL for every service of the
# process table (defaults follow the gRPC ports).
export_peer_urls() {
    local name kind prefix url grpc
    while IFS=$'\t' read -r name kind prefix _; do
        [[ "$kind" == service ]] || continue
        url="${prefix}_SERVICE_URL" grpc="ALPHA_${prefix}_GRPC_PORT"
        [[ -n "${!url:-}" ]] || printf -v "$url" '%s' "$(replica_addresses "${!grpc}")"
        export "${url?}"
    done < <(process_table_rows)
}

# reset_peer_urls — forgets every <P>_SERVICE_URL, then sets them anew from the gRPC ports.
reset_peer_urls() {
    local name kind prefix
    while IFS=$'\t' read -r name kind prefix _; do
        [[ "$kind" == service ]] && unset "${prefix}_SERVICE_URL"
    done < <(process_table_rows)
    export_peer_urls
}

# set_port_block HTTP ADMIN_FIRST GRPC_FIRST — the processes on a block of ports apart from `make run`'s
# (a test stack, the drills, the benchmarks): HTTP_PORT=HTTP, the admin ports from ADMIN_FIRST and the
# gRPC ports from GRPC_FIRST in the process table's order (its ports shifted), and the peer URLs
# following them. Overrides the caller's values.
set_port_block() {
    local http="$1" admin_first="$2" grpc_first="$3" name kind prefix port admin first_admin="" first_grpc=""
    while IFS=$'\t' read -r name kind prefix _ port admin _; do
        [[ "$kind" == database ]] && continue
        : "${first_admin:=$admin}"
        [[ "$kind" == service ]] && : "${first_grpc:=$port}"
        case "$kind" in
            gateway) export HTTP_PORT="$http" ;;
            service) export "ALPHA_${prefix}_GRPC_PORT=$((grpc_first + port - first_grpc))" ;;
        esac
        export "ALPHA_${prefix}_ADMIN_PORT=$((admin_first + admin - first_admin))"
    done < <(process_table_rows)
    reset_peer_urls
}

PROCESS_PIDS=()
PROCESS_NAMES=()
# Parallel to PROCESS_PIDS: each process's executable, replica number and admin port.
PROCESS_EXECUTABLES=()
PROCESS_REPLICAS=()
PROCESS_ADMIN_PORTS=()

# start_processes BIN_DIR LOG_DIR [ECHO] — starts the five (with ALPHA_REPLICAS=N, N of each gRPC
# service) in the background. Each sees the exported environment plus its own GRPC_PORT,
# ADMIN_PORT, POSTGRES_USER and POSTGRES_SCHEMA. Each process appends its output unprefixed to
# LOG_DIR/<name>.log itself (no pipe: a slow terminal never slows a process; user-service-2 for a
# second replica); unless ECHO is 0, one follower (follow_logs) shows the new lines on stdout,
# prefixed with the name.
start_processes() {
    local bin_dir="$1" log_dir="$2" echo="${3:-1}" name replica replicas
    local files=()
    mkdir -p "$log_dir"
    replicas="$(alpha_replicas)"
    for name in "${ALPHA_PROCESSES[@]}"; do
        [[ -x "$bin_dir/$name" ]] || die "executable $bin_dir/$name not found (build alpha-services first)"
        for ((replica = 1; replica <= replicas; replica++)); do
            files+=("$log_dir/$(replica_name "$name" "$replica").log")
            [[ "$name" == api-gateway ]] && break
        done
    done
    touch "${files[@]}"
    if [[ "$echo" != 0 ]]; then follow_logs "${files[@]}"; fi
    for name in "${ALPHA_PROCESSES[@]}"; do
        if [[ "$name" == api-gateway ]]; then
            start_process "$bin_dir" "$log_dir" "$echo" "$name" 1
            continue
        fi
        for ((replica = 1; replica <= replicas; replica++)); do
            start_process "$bin_dir" "$log_dir" "$echo" "$name" "$replica"
        done
    done
}

# follow_logs FILE... — one cheap follower for the terminal: `tail -F` (inotify, no polling per
# line) of the files from their current end, and one awk that prefixes each line with the file's
# name (tail's `==> FILE <==` headers say which file the next lines come from). It ignores INT/TERM
# so a Ctrl-C does not cut the last lines of draining processes, and ends by itself once this
# shell has exited (tail --pid). Measured: docs/performance.md (make run's log display).
follow_logs() {
    (
        trap '' INT TERM
        tail -n 0 --pid=$$ -F -v "$@" 2>/dev/null | awk '
            /^==> .* <==$/ { name = $2; sub(/^.*\//, "", name); sub(/\.log$/, "", name); next }
            $0 == "" { next }
            { printf "%-21s| %s\n", name, $0; fflush() }'
    ) &
}

# start_process BIN_DIR LOG_DIR ECHO NAME REPLICA [INDEX] — starts one replica of one process (see
# start_processes) and records it in the process table, at INDEX when given (a restart). Its output
# is appended to LOG_DIR/<label>.log, which start_processes' follower shows when ECHO is not 0.
start_process() {
    local bin_dir="$1" log_dir="$2" name="$4" replica="$5" index="${6:-}"
    local schema pid label admin_port
    local extra=()
    label="$(replica_name "$name" "$replica")"
    admin_port="$(process_admin_port "$name" "$replica")"
    # Two glibc malloc arenas instead of up to 8 per core: less memory held in per-thread arenas, no
    # measurable cost (docs/performance.md, "Memory"); the image sets the same (deploy/Dockerfile).
    extra=(ADMIN_PORT="$admin_port" MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}")
    if [[ "$name" != api-gateway ]]; then
        schema="${name%-service}_service"
        extra+=(GRPC_PORT="$(process_grpc_port "$name" "$replica")" POSTGRES_USER="$schema" POSTGRES_SCHEMA="$schema")
    fi
    env "${extra[@]}" "$bin_dir/$name" >>"$log_dir/$label.log" 2>&1 &
    pid=$!
    index="${index:-${#PROCESS_PIDS[@]}}"
    PROCESS_PIDS[index]="$pid"
    PROCESS_NAMES[index]="$label"
    PROCESS_EXECUTABLES[index]="$name"
    PROCESS_REPLICAS[index]="$replica"
    PROCESS_ADMIN_PORTS[index]="$admin_port"
}

# restart_process INDEX BIN_DIR LOG_DIR [ECHO] — starts the process at INDEX of the process table
# again (same replica, same ports), as Kubernetes restarts a container that exited.
restart_process() {
    local index="$1" bin_dir="$2" log_dir="$3" echo="${4:-1}"
    start_process "$bin_dir" "$log_dir" "$echo" "${PROCESS_EXECUTABLES[$index]}" \
        "${PROCESS_REPLICAS[$index]}" "$index"
}

# http_ok URL — true when URL answers 2xx.
http_ok() { curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; }

# wait_for_processes TIMEOUT_SECONDS URL... — waits until every URL answers, failing early (and
# naming it) if one of the started processes exits.
wait_for_processes() {
    local timeout="$1"
    shift
    local deadline=$((SECONDS + timeout)) url i pending
    while :; do
        for i in "${!PROCESS_PIDS[@]}"; do
            if ! kill -0 "${PROCESS_PIDS[$i]}" 2>/dev/null; then
                local status=0
                wait "${PROCESS_PIDS[$i]}" || status=$?
                warn "${PROCESS_NAMES[$i]} exited during start-up (status $status)"
                return 1
            fi
        done
        pending=()
        for url in "$@"; do
            http_ok "$url" || pending+=("$url")
        done
        ((${#pending[@]} == 0)) && return 0
        if ((SECONDS >= deadline)); then
            warn "not ready after ${timeout}s: ${pending[*]}"
            return 2
        fi
        sleep 0.5
    done
}

# stop_processes [GRACE_SECONDS] — SIGTERM to all started processes, then SIGKILL after the grace.
stop_processes() {
    local grace="${1:-15}" pid deadline alive
    ((${#PROCESS_PIDS[@]} == 0)) && return 0
    for pid in "${PROCESS_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    deadline=$((SECONDS + grace))
    while :; do
        alive=()
        for pid in "${PROCESS_PIDS[@]}"; do
            kill -0 "$pid" 2>/dev/null && alive+=("$pid")
        done
        ((${#alive[@]} == 0)) && break
        if ((SECONDS >= deadline)); then
            warn "still running after ${grace}s, killing: ${alive[*]}"
            kill -KILL "${alive[@]}" 2>/dev/null || true
            break
        fi
        sleep 0.2
    done
    for pid in "${PROCESS_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    PROCESS_PIDS=()
    PROCESS_NAMES=()
    PROCESS_EXECUTABLES=()
    PROCESS_REPLICAS=()
    PROCESS_ADMIN_PORTS=()
}
