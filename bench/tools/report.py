#!/usr/bin/env python3
"""Turns the raw measurements of `make bench` into the report.

  report.py RAW.jsonl RESULTS_DIR

Writes RESULTS_DIR/<timestamp>.md, <timestamp>.json, <timestamp>.png (latency against offered load)
and RESULTS_DIR/latest.json. Ratios are taken per round against the baseline measured in the same
round (so they hold up on a busy machine), then the median over rounds is reported.
"""
import json
import os
import statistics
import sys
import time

GOALS = [
    # key, comparison, goal, what
    ("imprint_ratio", ">=", 0.8, "imprint req/s ÷ bare Hummingbird"),
    ("profile_ratio", ">=", 0.1, "profile read req/s ÷ bare Hummingbird"),
    ("personal_feed_ratio", ">=", 0.05, "personal feed (10 posts) req/s ÷ bare Hummingbird"),
    ("rpcs_per_request_max", "<=", 2, "RPCs per REST request (max over request kinds)"),
    ("mix_errors", "<=", 0, "errors of the mixed workload at half its saturation rate"),
    ("mix_p99_over_p50", "<=", 5, "mixed workload p99 ÷ p50 at half its saturation rate"),
    ("feed_p99_1m_over_10k", "<=", 1.5, "personal feed p99 at 1M posts ÷ at 10k posts"),
    ("tracing_on_over_off", ">=", 0.9, "profile throughput with spans exported ÷ without"),
    ("idle_rss_mib_max", "<=", 40, "idle RSS per process, MiB (max)"),
    ("rss_growth", "<=", 1.2, "RSS after the run ÷ idle RSS (max over processes)"),
]


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def per_round_ratio(entries, kind, target):
    """Median over rounds of target req/s ÷ baseline req/s of the same round."""
    rounds = {}
    for e in entries:
        if e["kind"] == kind and "round" in e:
            rounds.setdefault(e["round"], {})[e["target"]] = e["rps"]
    ratios = [r[target] / r["hello"] for r in rounds.values() if target in r and r.get("hello")]
    return median(ratios)


def summarize(entries):
    closed = [e for e in entries if e["kind"] == "closed"]
    targets = []
    for e in closed:
        if e["target"] not in targets:
            targets.append(e["target"])
    table = {}
    for target in targets:
        runs = [e for e in closed if e["target"] == target]
        processes = sorted({p for e in runs for p in e["cpu_us_per_request"]})
        table[target] = {
            "rps": median([e["rps"] for e in runs]),
            "p50_ms": median([e["p50_us"] / 1000 for e in runs]),
            "p99_ms": median([e["p99_us"] / 1000 for e in runs]),
            "errors": sum(e["errors"] for e in runs),
            "ratio_to_bare": per_round_ratio(entries, "closed", target),
            "rpcs_per_request": median([e["rpcs_per_request"] for e in runs]),
            "cpu_us_per_request": {
                p: median([e["cpu_us_per_request"].get(p) for e in runs]) for p in processes
            },
            "rounds": len(runs),
        }
    return table


def main():
    raw_path, results_dir = sys.argv[1], sys.argv[2]
    entries = load(raw_path)
    config = next((e for e in entries if e["kind"] == "config"), {})
    table = summarize(entries)

    mix = sorted((e for e in entries if e["kind"] == "mix_paced"), key=lambda e: e["fraction"])
    saturation = next((e for e in entries if e["kind"] == "mix_saturation"), None)
    half = next((e for e in mix if abs(e["fraction"] - 0.5) < 1e-9), None)
    feed = {e.get("posts"): e for e in entries if e["kind"] == "feed_size" and e.get("posts")}
    rss_idle = next((e["rss_kib"] for e in entries if e["kind"] == "rss" and e["phase"] == "idle"), {})
    rss_after = next((e["rss_kib"] for e in entries if e["kind"] == "rss" and e["phase"] == "after"), {})
    alpha = [p for p in rss_idle if p not in ("hello-server", "otlp-sink")]
    off = per_round_ratio(entries, "closed", "profile")
    on = per_round_ratio(entries, "tracing_on", "profile")

    gateway_targets = [t for t in table if t not in ("hello",)]
    summary = {
        "imprint_ratio": table.get("imprint", {}).get("ratio_to_bare"),
        "profile_ratio": table.get("profile", {}).get("ratio_to_bare"),
        "personal_feed_ratio": table.get("personal_feed", {}).get("ratio_to_bare"),
        "rpcs_per_request_max": max((table[t]["rpcs_per_request"] for t in gateway_targets), default=None),
        "mix_errors": half["errors"] if half else None,
        "mix_p99_over_p50": (half["p99_us"] / half["p50_us"]) if half and half["p50_us"] else None,
        "feed_p99_1m_over_10k": (feed["1M"]["p99_us"] / feed["10k"]["p99_us"])
        if "1M" in feed and "10k" in feed and feed["10k"]["p99_us"] else None,
        "tracing_on_over_off": (on / off) if on and off else None,
        "idle_rss_mib_max": max((rss_idle[p] / 1024 for p in alpha), default=None),
        "rss_growth": max((rss_after[p] / rss_idle[p] for p in alpha if p in rss_after and rss_idle[p]), default=None),
    }
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    report = dict(summary)
    report.update({
        "timestamp": stamp,
        "quick": config.get("quick"),
        "config": config,
        "targets": table,
        "mix_saturation_rps": saturation["rps"] if saturation else None,
        "mix": mix,
        "feed_sizes": feed,
        "rss_idle_kib": rss_idle,
        "rss_after_kib": rss_after,
        "goals": goal_results(summary),
    })
    os.makedirs(results_dir, exist_ok=True)
    base = os.path.join(results_dir, stamp)
    with open(base + ".json", "w") as f:
        json.dump(report, f, indent=2)
    with open(os.path.join(results_dir, "latest.json"), "w") as f:
        json.dump(report, f, indent=2)
    plotted = plot(mix, table, base + ".png")
    with open(base + ".md", "w") as f:
        f.write(markdown(report, os.path.basename(base + ".png") if plotted else None))
    print(open(base + ".md").read())
    print(f"written: {base}.md, {base}.json, {results_dir}/latest.json" + (f", {base}.png" if plotted else ""))


def goal_results(summary):
    results = []
    for key, comparison, goal, what in GOALS:
        value = summary.get(key)
        if value is None:
            results.append({"key": key, "goal": f"{comparison} {goal}", "value": None, "met": None, "what": what})
            continue
        met = value >= goal if comparison == ">=" else value <= goal
        if met:
            miss = None
        elif comparison == ">=":
            miss = f"{goal / value:.2f}× short" if value else "∞× short"
        else:
            miss = f"{value / goal:.2f}× over" if goal else f"{value} over"
        results.append({"key": key, "goal": f"{comparison} {goal}", "value": value, "met": met, "miss": miss,
                        "what": what})
    return results


def fmt(value, digits=2):
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def markdown(report, png):
    config = report["config"]
    lines = [
        f"# make bench — {report['timestamp']} ({'QUICK' if report['quick'] else 'full'})",
        "",
        f"{config.get('cpus')} CPUs, load average at start {fmt(config.get('loadavg_start', [None])[0])}; "
        f"wrk -t{config.get('threads')} -c{config.get('connections')}, {config.get('rounds')} interleaved rounds of "
        f"{config.get('seconds')} s. Ratios are per round against the bare Hummingbird server of the same round.",
        "",
        "## Goals",
        "",
        "| goal | value | target | met |",
        "|---|---|---|---|",
    ]
    for g in report["goals"]:
        met = "—" if g["met"] is None else ("yes" if g["met"] else f"**no** ({g['miss']})")
        lines.append(f"| {g['what']} (`{g['key']}`) | {fmt(g['value'])} | {g['goal']} | {met} |")
    processes = sorted({p for t in report["targets"].values() for p in t["cpu_us_per_request"]})
    lines += [
        "",
        "## Request kinds (closed loop, medians over rounds)",
        "",
        "| request | req/s | p50 ms | p99 ms | errors | ratio to bare | RPCs/request | "
        + " | ".join(f"CPU µs/req {p}" for p in processes) + " |",
        "|---|---|---|---|---|---|---|" + "---|" * len(processes),
    ]
    for name, t in report["targets"].items():
        cpu = " | ".join(fmt(t["cpu_us_per_request"].get(p), 0) for p in processes)
        lines.append(
            f"| {name} | {fmt(t['rps'], 0)} | {fmt(t['p50_ms'])} | {fmt(t['p99_ms'])} | {t['errors']} | "
            f"{fmt(t['ratio_to_bare'], 3)} | {fmt(t['rpcs_per_request'])} | {cpu} |"
        )
    if report["mix"]:
        lines += [
            "",
            f"## Mixed workload (60 % personal feed, 30 % user feed, 10 % create post); closed-loop saturation "
            f"{fmt(report['mix_saturation_rps'], 0)} req/s",
            "",
            "| offered req/s | fraction of saturation | achieved req/s | p50 ms | p99 ms | errors |",
            "|---|---|---|---|---|---|",
        ]
        for e in report["mix"]:
            lines.append(
                f"| {fmt(e['offered_rps'], 0)} | {e['fraction']:.3g} | {fmt(e['rps'], 0)} | {fmt(e['p50_us'] / 1000)} | "
                f"{fmt(e['p99_us'] / 1000)} | {e['errors']} |"
            )
    lines += ["", "## Memory (RSS, MiB)", "", "| process | idle | after the run |", "|---|---|---|"]
    for p, kib in report["rss_idle_kib"].items():
        after = report["rss_after_kib"].get(p)
        lines.append(f"| {p} | {kib / 1024:.1f} | {fmt(after / 1024 if after else None, 1)} |")
    if png:
        lines += ["", f"![latency against offered load]({png})"]
    return "\n".join(lines) + "\n"


def plot(mix, table, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    if not mix:
        return False
    fig, ax = plt.subplots(figsize=(7, 4.5))
    offered = [e["offered_rps"] for e in mix]
    ax.plot(offered, [e["p50_us"] / 1000 for e in mix], "o-", label="p50")
    ax.plot(offered, [e["p99_us"] / 1000 for e in mix], "s-", label="p99")
    ax.set_xlabel("offered load (req/s)")
    ax.set_ylabel("latency (ms)")
    ax.set_yscale("log")
    ax.set_title("Mixed workload: latency against offered load")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return True


if __name__ == "__main__":
    main()
