#!/usr/bin/env python3
"""Runs the measurements of `make bench` against a started system (alpha-services/scripts/bench.sh).

  driver.py measure   interleaved rounds of every request kind with the baseline, the mixed
                      workload at fixed rates up to saturation, RSS idle/after, (full run) the
                      personal feed at 10k and 1M posts
  driver.py tracing   interleaved rounds of baseline and profile with spans exported

Every measurement is appended as one JSON object per line to $BENCH_RUN_DIR/raw.jsonl; report.py
turns that file into the report. Per run it records wrk's requests and latency percentiles, the
change of every process's CPU time (/proc/PID/stat utime+stime) and of the services' gRPC request
counters (/metrics, grpc_server_requests_total), so RPCs per REST request and CPU µs per request
come from the system itself.
"""
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

ENV = os.environ
QUICK = ENV.get("BENCH_QUICK", "0") == "1"
RUN_DIR = ENV["BENCH_RUN_DIR"]
BENCH_DIR = ENV["BENCH_DIR"]
GATEWAY = ENV["BENCH_GATEWAY"]
HELLO = ENV["BENCH_HELLO"]
PIDS = dict(item.split("=") for item in ENV["BENCH_PIDS"].split())
ADMIN = dict(item.split("=") for item in ENV["BENCH_ADMIN"].split())
RAW = os.path.join(RUN_DIR, "raw.jsonl")
CLK_TCK = os.sysconf("SC_CLK_TCK")
LUA = os.path.join(BENCH_DIR, "wrk", "alpha.lua")

ROUNDS = 2 if QUICK else 4
SECONDS = 5 if QUICK else 10
CONNECTIONS = 50
THREADS = 2
SERVICES = ["user-service", "post-service", "notification-service", "image-service"]


def log(message):
    print(f"==> {message}", flush=True)


def record(obj):
    with open(RAW, "a") as f:
        f.write(json.dumps(obj) + "\n")


def cpu_ticks():
    ticks = {}
    for name, pid in PIDS.items():
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks[name] = int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return ticks


def rss_kib():
    rss = {}
    for name, pid in PIDS.items():
        try:
            with open(f"/proc/{pid}/status") as f:
                match = re.search(r"^VmRSS:\s+(\d+) kB", f.read(), re.M)
            rss[name] = int(match.group(1))
        except (OSError, AttributeError):
            pass
    return rss


def metric_sum(process, prefix, exclude=None):
    """The sum of every sample of the counter `prefix` on the process's /metrics (None when unreachable)."""
    try:
        text = urllib.request.urlopen(f"http://127.0.0.1:{ADMIN[process]}/metrics", timeout=5).read().decode()
    except OSError:
        return None
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith(prefix) and line[len(prefix)] in "{ " and not (exclude and exclude in line)
    )


def rpc_totals():
    """gRPC requests served per service (health checks excluded) and REST requests served by the gateway."""
    totals = {}
    for name in SERVICES:
        value = metric_sum(name, "grpc_server_requests_total", exclude='method="grpc.health.v1.Health')
        if value is not None:
            totals[name] = value
    return totals


def gateway_requests():
    return metric_sum("api-gateway", "hb_requests")


def wrk(target, url, seconds, rate_per_connection=None, connections=CONNECTIONS):
    env = dict(ENV, BENCH_TARGET=target)
    if rate_per_connection:
        env["BENCH_RATE"] = f"{rate_per_connection:.6f}"
    else:
        env.pop("BENCH_RATE", None)
    command = ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", LUA, url]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    line = next((l for l in out.splitlines() if l.startswith("BENCH_RESULT")), None)
    if line is None:
        raise SystemExit(f"wrk gave no result for {target}:\n{out}")
    result = {k: int(v) for k, v in (item.split("=") for item in line.split()[1:])}
    result["errors"] = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    return result


def warm_up(targets):
    """2 s of each request kind, unmeasured: connections, pools and statement caches get warm."""
    log("warm-up (2 s per request kind)")
    for target in targets:
        wrk("imprint" if target == "hello" else target, HELLO if target == "hello" else GATEWAY, 2)


def run(target, kind="closed", rate_per_connection=None, seconds=SECONDS, extra=None, connections=CONNECTIONS):
    """One measured run with CPU and RPC deltas."""
    url = HELLO if target == "hello" else GATEWAY
    lua_target = "imprint" if target == "hello" else target
    cpu0, rpc0, rest0 = cpu_ticks(), rpc_totals(), gateway_requests()
    result = wrk(lua_target, url, seconds, rate_per_connection, connections)
    # Requests still in flight when wrk stops are served but not counted by wrk: let them finish and
    # count REST requests where the RPCs are counted, on the server side.
    time.sleep(1)
    cpu1, rpc1, rest1 = cpu_ticks(), rpc_totals(), gateway_requests()
    served = (rest1 - rest0) if rest0 is not None and rest1 is not None and target != "hello" else 0
    requests = max(served if served > 0 else result["requests"], 1)
    entry = {
        "kind": kind,
        "target": target,
        "requests": result["requests"],
        "rps": result["requests"] / (result["duration_us"] / 1e6),
        "p50_us": result["p50"],
        "p90_us": result["p90"],
        "p99_us": result["p99"],
        "max_us": result["max"],
        "errors": result["errors"],
        "rpcs_per_request": sum(rpc1.get(n, 0) - rpc0.get(n, 0) for n in rpc1) / requests,
        "rpcs_by_service": {n: (rpc1.get(n, 0) - rpc0.get(n, 0)) / requests for n in rpc1},
        "cpu_us_per_request": {
            n: (cpu1[n] - cpu0.get(n, cpu1[n])) * 1e6 / CLK_TCK / requests for n in cpu1
        },
    }
    if rate_per_connection:
        entry["offered_rps"] = rate_per_connection * connections
    entry.update(extra or {})
    record(entry)
    return entry


def posts_available():
    try:
        urllib.request.urlopen(f"{GATEWAY}/api/feed?feedType=global&limit=1", timeout=5).read()
        return True
    except OSError:
        return False


def psql(sql):
    cluster, port, db = ENV["BENCH_PG"].split()
    subprocess.run(
        ["bash", "-c", f'source "{BENCH_DIR}/../alpha-services/scripts/lib.sh" && pg_psql {cluster} {port} -d {db}'],
        input=sql, text=True, check=True, stdout=subprocess.DEVNULL,
    )


def seed_posts(per_user_max, total=None):
    """Posts straight into post_service (the bench's own database): 0–2×mean per user, or `total`."""
    if total is not None:
        sql = f"""
        INSERT INTO post_service.posts (post_id, author_name, content, created_at)
        SELECT gen_random_uuid(), 'user' || (i % 962), 'bench post ' || i,
               now() - (i || ' seconds')::interval - interval '1 day'
        FROM generate_series(1, {total}) i;
        -- As autovacuum would soon after: the per-author counters took a million single-row updates.
        VACUUM (ANALYZE) post_service.posts, post_service.author_post_counts;
        """
    else:
        sql = f"""
        INSERT INTO post_service.posts (post_id, author_name, content, created_at)
        SELECT gen_random_uuid(), 'user' || u, 'bench post ' || u || '-' || k,
               now() - ((u * 37 + k * 7919) % 2592000 || ' seconds')::interval
        FROM generate_series(0, 961) u
        CROSS JOIN LATERAL generate_series(1, (u * 7 + 3) % ({per_user_max} + 1)) k;
        ANALYZE post_service.posts;
        """
    psql(sql)


def measure():
    time.sleep(3)
    record({"kind": "rss", "phase": "idle", "rss_kib": rss_kib()})
    targets = ["hello", "imprint", "profile", "followers", "search"]
    feeds = posts_available()
    if feeds:
        log("seeding posts: 0–20 per user (~10 on average)")
        seed_posts(20)
        targets += ["global_feed", "personal_feed", "user_feed", "create_post"]
    else:
        log("the gateway has no feed routes: feeds, post creation and the mixed workload are skipped")
    record({"kind": "config", "quick": QUICK, "rounds": ROUNDS, "seconds": SECONDS, "connections": CONNECTIONS,
            "threads": THREADS, "targets": targets, "cpus": os.cpu_count(),
            "loadavg_start": os.getloadavg()})

    warm_up(targets)

    for round_number in range(1, ROUNDS + 1):
        log(f"round {round_number}/{ROUNDS}: {', '.join(targets)} ({SECONDS} s each, wrk -t{THREADS} -c{CONNECTIONS})")
        for target in targets:
            entry = run(target, extra={"round": round_number})
            print(f"    {target:14s} {entry['rps']:9.0f} req/s  p50 {entry['p50_us'] / 1000:7.2f} ms  "
                  f"p99 {entry['p99_us'] / 1000:7.2f} ms  errors {entry['errors']}  "
                  f"rpcs/req {entry['rpcs_per_request']:.2f}", flush=True)

    if feeds:
        mixed_workload()
        if not QUICK:
            feed_at_one_million()

    # 12 s: the processes give freed heap back every HEAP_TRIM_INTERVAL_SECONDS (10 s by default).
    log("RSS after the load (12 s idle first)")
    time.sleep(12)
    record({"kind": "rss", "phase": "after", "rss_kib": rss_kib(), "loadavg_end": os.getloadavg()})


def mixed_workload():
    log("mixed workload: saturation (closed loop), then fixed rates")
    saturation = run("mix", kind="mix_saturation", extra={})["rps"]
    print(f"    saturation {saturation:.0f} req/s", flush=True)
    fractions = [0.25, 0.5, 0.75, 1.0] if QUICK else [0.125, 0.25, 0.5, 0.75, 0.9, 1.0, 1.25]
    connections = 64
    for fraction in fractions:
        offered = saturation * fraction
        entry = run("mix", kind="mix_paced", rate_per_connection=offered / connections, connections=connections,
                    extra={"fraction": fraction, "saturation_rps": saturation})
        print(f"    offered {offered:7.0f} ({fraction:.2f}×)  achieved {entry['rps']:7.0f}  "
              f"p50 {entry['p50_us'] / 1000:7.2f} ms  p99 {entry['p99_us'] / 1000:7.2f} ms  "
              f"errors {entry['errors']}", flush=True)


def feed_at_one_million():
    log("personal feed p99 at ~10k posts, then at 1M posts (same offered rate)")
    saturation = run("personal_feed", kind="feed_saturation")["rps"]
    rate = saturation * 0.5 / CONNECTIONS
    small = run("personal_feed", kind="feed_size", rate_per_connection=rate, extra={"posts": "10k"})
    log("inserting 1M posts")
    seed_posts(0, total=1_000_000)
    run("personal_feed", kind="feed_size", rate_per_connection=rate, seconds=5)  # warm the caches
    large = run("personal_feed", kind="feed_size", rate_per_connection=rate, extra={"posts": "1M"})
    print(f"    p99 10k {small['p99_us'] / 1000:.2f} ms, 1M {large['p99_us'] / 1000:.2f} ms", flush=True)


def tracing():
    targets = ["hello", "profile"]
    warm_up(targets)
    for round_number in range(1, ROUNDS + 1):
        log(f"tracing on, round {round_number}/{ROUNDS}")
        for target in targets:
            entry = run(target, kind="tracing_on", extra={"round": round_number})
            print(f"    {target:14s} {entry['rps']:9.0f} req/s  p50 {entry['p50_us'] / 1000:7.2f} ms", flush=True)


def profile():
    """`perf record` of the gateway and the services under imprint (E01) and profile (E12) load: top
    symbols per process, grouped (tools/perf_groups.py)."""
    out_dir = ENV.get("BENCH_PROFILE_DIR", RUN_DIR)
    processes = ["api-gateway", "user-service", "post-service"]
    for target in ("imprint", "profile"):
        recorded = processes[:1] if target == "imprint" else processes
        log(f"perf record (cpu-clock, 10 s) of {', '.join(recorded)} under {target} load")
        env = dict(ENV, BENCH_TARGET=target)
        load = subprocess.Popen(["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", "-d14s", "-s", LUA, GATEWAY], env=env,
                                stdout=subprocess.DEVNULL)
        time.sleep(2)
        recorders = []
        for name in recorded:
            data = os.path.join(RUN_DIR, f"perf-{target}-{name}.data")
            recorders.append((name, data, subprocess.Popen(
                ["perf", "record", "-q", "-F", "999", "-e", "cpu-clock", "-g", "-p", PIDS[name], "-o", data,
                 "--", "sleep", "10"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)))
        for _, _, recorder in recorders:
            recorder.wait()
        load.wait()
        for name, data, _ in recorders:
            report = subprocess.run([sys.executable, os.path.join(BENCH_DIR, "tools", "perf_groups.py"), data, "30"],
                                    capture_output=True, text=True).stdout
            path = os.path.join(out_dir, f"{target}-{name}.txt")
            with open(path, "w") as f:
                f.write(report)
            log(f"top symbols of {name} under {target} load: {path}")


if __name__ == "__main__":
    {"measure": measure, "tracing": tracing, "profile": profile}[sys.argv[1]]()
