#!/usr/bin/env python3
"""Writes OUT/summary.md for queen-bench/run-steady-state.sh from OUT/samples.csv, OUT/load.json
and OUT/meta.txt, and prints it.

    python3 queen-bench/steady-state-report.py OUT

"Size" is pg_total_relation_size('queen.messages') (heap, TOAST and indexes). "Flat": from some
sample on, every sample is within +-5 % of the size at the end, for at least the last third of the
run and 3 minutes (the report says from when).
"""
import csv
import json
import os
import sys

MIB = 1048576.0
FLAT_TOLERANCE = 0.05


def read_meta(out):
    meta = {}
    try:
        with open(os.path.join(out, "meta.txt")) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    meta[k] = v
    except OSError:
        pass
    return meta


def read_samples(out):
    rows = []
    try:
        with open(os.path.join(out, "samples.csv")) as f:
            for r in csv.DictReader(f):
                if r.get("messages_total_bytes"):
                    rows.append(r)
    except OSError:
        pass
    return rows


def read_load(out):
    try:
        with open(os.path.join(out, "load.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def integer(v):
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def mib(b):
    return "–" if b is None else f"{b / MIB:.1f}"


def num(v):
    return "–" if v is None else f"{v:,.0f}"


def nearest(rows, sec):
    """The sample closest to sec, or None when none is within half a minute of it."""
    if not rows:
        return None
    best = min(rows, key=lambda r: abs(int(r["elapsed_s"]) - sec))
    return best if abs(int(best["elapsed_s"]) - sec) <= 30 else None


def size(r):
    return None if r is None else integer(r["messages_total_bytes"])


def rows_of(r):
    """Exact count(*) when the sample has one, else the statistics' live-row estimate (~)."""
    if r is None:
        return "–"
    if r.get("messages_rows"):
        return num(integer(r["messages_rows"]))
    if r.get("messages_live_est"):
        return "~" + num(integer(r["messages_live_est"]))
    return "–"


def main():
    out = sys.argv[1]
    meta = read_meta(out)
    rows = read_samples(out)
    load = read_load(out)
    lines = []
    retention = meta.get("retention") == "1"
    lines.append(f"# Steady state: {'with retention' if retention else 'without retention (comparison run)'}")
    lines.append("")
    lines.append(
        f"{meta.get('rate', '?')} msg/s for {meta.get('duration', '?')} s (queen-load --mode both "
        f"--batch 10 --partitions 100 --connections 20 --consumer-connections 10 --auto-ack --wait); "
        f"queue options {meta.get('options', '?')}; RETENTION_INTERVAL={meta.get('retention_interval', '?')} ms, "
        f"RETENTION_BATCH_SIZE={meta.get('retention_batch_size') or 'server default'}, "
        f"script VACUUM every {meta.get('vacuum_every', '0')} s (0 = never; autovacuum={meta.get('autovacuum', '?')}); "
        f"commit {meta.get('commit', '?')}, {meta.get('date', '?')}.")
    lines.append("")

    if load:
        push, pop = load.get("push", {}), load.get("pop", {})
        ver = load.get("verification")
        errs = load.get("errors") or {}
        lines.append(
            f"- pushed {num(push.get('messages'))} messages = **{num(push.get('messagesPerSecond'))} msg/s**; "
            f"consumed {num(pop.get('messages'))} = **{num(pop.get('messagesPerSecond'))} msg/s**")
        if ver is not None:
            lines.append(
                f"- verification {'PASSED' if ver.get('passed') else 'FAILED'}: {num(ver.get('expected'))} expected, "
                f"{ver.get('lost')} lost, {ver.get('duplicates')} duplicates, {ver.get('fifoViolations')} FIFO violations")
        dl = pop.get("deliveryLatencyMs") or {}
        if dl:
            lines.append(f"- delivery latency p50/p99/max {dl.get('p50')} / {dl.get('p99')} / {dl.get('max')} ms")
        lines.append(f"- errors: {', '.join(f'{k} {v}' for k, v in errs.items()) if errs else 'none'}")
    else:
        lines.append(f"- no load result (queen-load exit code {meta.get('load_rc', '?')}; see load.txt)")
    if meta.get("load_rc") not in (None, "0"):
        lines.append(f"- queen-load exit code {meta.get('load_rc')}")
    hwm = integer(meta.get("server_hwm_kb"))
    lines.append(f"- server peak RSS {'–' if hwm is None else f'{hwm / 1024:.0f}'} MiB; the samples' "
                 f"count(*) of queen.messages took up to {meta.get('count_max_ms', '?')} ms "
                 f"(rows marked ~ are pg_stat_user_tables.n_live_tup)")
    lines.append("")

    if not rows:
        lines.append("no samples")
    else:
        last_s = int(rows[-1]["elapsed_s"])
        lines.append("| min | messages total MiB | heap MiB | rows | dead rows (est.) | message_states MiB "
                     "| partition_consumers MiB | removed (retention_history) | server RSS MiB |")
        lines.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        minute_rows = []
        for m in range(0, last_s // 60 + 1):
            r = nearest(rows, m * 60)
            if r is not None and r not in minute_rows:
                minute_rows.append(r)
        if rows[-1] not in minute_rows:
            minute_rows.append(rows[-1])
        for r in minute_rows:
            e = int(r["elapsed_s"])
            label = f"{e // 60}" if e % 60 < 15 or e % 60 > 45 else f"{e / 60:.1f}"
            if r is rows[-1]:
                label += " (end)"
            rss = integer(r.get("server_rss_kb"))
            lines.append(
                f"| {label} | {mib(size(r))} | {mib(integer(r['messages_heap_bytes']))} | {rows_of(r)} "
                f"| {num(integer(r.get('messages_dead_est')))} | {mib(integer(r['states_bytes']))} "
                f"| {mib(integer(r['consumers_bytes']))} | {num(integer(r.get('removed_total')))} "
                f"| {'–' if rss is None else f'{rss / 1024:.0f}'} |")
        lines.append("")
        sizes = [(int(r["elapsed_s"]), size(r)) for r in rows if size(r) is not None]
        peak_s, peak = max(sizes, key=lambda t: t[1])
        at2, at5 = size(nearest(rows, 120)), size(nearest(rows, 300))
        lines.append(f"- size (pg_total_relation_size of queen.messages): 2 min **{mib(at2)} MiB**, "
                     f"5 min **{mib(at5)} MiB**, end ({last_s} s) **{mib(sizes[-1][1])} MiB**, "
                     f"max **{mib(peak)} MiB** (at {peak_s} s)")
        final = sizes[-1][1]
        since = None
        for e, b in reversed(sizes):
            if final and abs(b / final - 1) <= FLAT_TOLERANCE:
                since = e
            else:
                break
        if since is None or not final:
            lines.append("- flat: **no** (the last sample differs from the end size)")
        else:
            held = last_s - since
            flat = held >= last_s / 3 and held >= 180
            lines.append(f"- flat (every sample within ±{FLAT_TOLERANCE * 100:.0f} % of the end size "
                         f"{mib(final)} MiB) from {since} s on, the last {held} s of the run: "
                         f"**{'yes' if flat else 'no'}** (yes needs at least the last third of the "
                         f"run and 3 minutes)")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write(text)
    print(text, end="")


if __name__ == "__main__":
    main()
