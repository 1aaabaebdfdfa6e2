#!/usr/bin/env python3
"""Turns the raw results of bench/run.sh (target/bench/) into the Markdown tables of
BENCHMARKS.md: median and min-max per figure, ratios from the same run."""

import json
import os
import statistics
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else "target/bench"


def rows(name):
    path = os.path.join(OUT, name)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def fig(values, fmt="{:,.0f}"):
    """median (min-max)"""
    if not values:
        return "-"
    med = statistics.median(values)
    if len(values) == 1:
        return fmt.format(med)
    return f"{fmt.format(med)} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def machine():
    path = os.path.join(OUT, "machine.txt")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            print("```\n" + f.read().rstrip() + "\n```\n")


def serve():
    data = {}
    for target, conns, rnd, rps, p50, p99, errors, cpu in rows("serve.tsv"):
        d = data.setdefault((target, int(conns)), {})
        d[int(rnd)] = (float(rps), int(p50), int(p99), int(errors), float(cpu))
    if not data:
        return

    def col(target, conns, i):
        return [v[i] for v in data.get((target, conns), {}).values()]

    def paired(a, b, conns, i):
        """Per-round ratios a/b (same round, same conditions)."""
        da, db = data.get((a, conns), {}), data.get((b, conns), {})
        return [da[r][i] / db[r][i] for r in sorted(da) if r in db and db[r][i]]

    print("### REST: `GET /v1/session`, wrk -t1, median (min–max) over rounds\n")
    print("| target | conns | req/s | p50 µs | p99 µs | errors | CPU µs/req | req/s ÷ nginx proxy | p99 ÷ nginx proxy |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for conns in (32, 256):
        for target in ("upstream-direct", "nginx-proxy", "floor-hyper", "floor-reqwest", "gateway-base", "gateway"):
            if (target, conns) not in data:
                continue
            ratio = p99r = ""
            if target.startswith(("gateway", "floor")):
                ratio = fig(paired(target, "nginx-proxy", conns, 0), "{:.2f}")
                p99r = fig(paired(target, "nginx-proxy", conns, 2), "{:.2f}")
            print(
                f"| {target} | {conns} | {fig(col(target, conns, 0))} | {fig(col(target, conns, 1))} "
                f"| {fig(col(target, conns, 2))} | {sum(col(target, conns, 3))} "
                f"| {fig(col(target, conns, 4), '{:.1f}')} | {ratio} | {p99r} |"
            )
    print()
    print("### MCP: `tools/call` of the read-only tool, stateless JSON, wrk -t1\n")
    print("| target | conns | calls/s | p50 µs | p99 µs | errors | CPU µs/call | calls/s ÷ FastMCP |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    mcp_conns = sorted({c for (t, c) in data if t == "mcp-fastmcp"})
    for target in ("mcp-fastmcp", "mcp-gateway-base", "mcp-gateway"):
        for conns in sorted({c for (t, c) in data if t == target}):
            ratio = ""
            if target.startswith("mcp-gateway") and conns in mcp_conns:
                ratio = fig(paired(target, "mcp-fastmcp", conns, 0), "{:.1f}")
            print(
                f"| {target} | {conns} | {fig(col(target, conns, 0))} | {fig(col(target, conns, 1))} "
                f"| {fig(col(target, conns, 2))} | {sum(col(target, conns, 3))} "
                f"| {fig(col(target, conns, 4), '{:.1f}')} | {ratio} |"
            )
    print()
    mem = rows("memory.tsv")
    if mem:
        mib = lambda i: [int(r[i]) / 1024 for r in mem]  # noqa: E731
        print("### Server memory (a fresh server per round), MiB, median (min–max)\n")
        print("| idle RSS | peak RSS after REST 32+256 conns | peak RSS after MCP 32+256 conns |")
        print("|---:|---:|---:|")
        print(f"| {fig(mib(1), '{:.1f}')} | {fig(mib(2), '{:.1f}')} | {fig(mib(3), '{:.1f}')} |")
        print()


def criterion(profile):
    base = os.path.join(OUT, f"criterion-{profile}")
    if not os.path.isdir(base):
        return None
    out = {}
    for group in ("generate", "pretty"):
        gdir = os.path.join(base, group)
        if not os.path.isdir(gdir):
            continue
        for n in os.listdir(gdir):
            sample = os.path.join(gdir, n, "new", "sample.json")
            if not n.isdigit() or not os.path.exists(sample):
                continue
            with open(sample, encoding="utf-8") as f:
                s = json.load(f)
            per_iter = [t / i / 1e6 for t, i in zip(s["times"], s["iters"])]  # ms
            out[(group, int(n))] = per_iter
    return out


def codegen():
    results = {p: criterion(p) for p in ("release", "dev")}
    if not any(results.values()):
        return
    print("### Codegen (criterion, 10 samples): ms per spec and µs per operation, median (min–max)\n")
    print("| profile | operations | generate ms | generate µs/op | pretty ms | pretty µs/op |")
    print("|---|---:|---:|---:|---:|---:|")
    for profile, res in results.items():
        if not res:
            continue
        for n in sorted({n for (_, n) in res}):
            g, p = res.get(("generate", n), []), res.get(("pretty", n), [])
            print(
                f"| {profile} | {n:,} | {fig(g, '{:.2f}')} | {fig([x * 1000 / n for x in g], '{:.0f}')} "
                f"| {fig(p, '{:.2f}')} | {fig([x * 1000 / n for x in p], '{:.0f}')} |"
            )
    print()


def codegen_cpu():
    data = rows("codegen-cpu.tsv")
    if not data:
        return
    cpu = {}
    for profile, cmd, n, _round, secs in data:
        cpu.setdefault((profile, cmd, int(n)), []).append(float(secs) * 1000)
    print("### Codegen CPU time of the CLI (user+sys, 3 runs), ms and µs per operation, median (min–max)\n")
    print("`check` = parse + validate; `expand` = parse + validate + emit + prettyplease.\n")
    print("| profile | operations | check ms | check µs/op | expand ms | expand µs/op |")
    print("|---|---:|---:|---:|---:|---:|")
    for profile in ("release", "debug"):
        for n in sorted({k[2] for k in cpu if k[0] == profile}):
            c, e = cpu.get((profile, "check", n), []), cpu.get((profile, "expand", n), [])
            print(
                f"| {profile} | {n:,} | {fig(c, '{:.0f}')} | {fig([x * 1000 / n for x in c], '{:.0f}')} "
                f"| {fig(e, '{:.0f}')} | {fig([x * 1000 / n for x in e], '{:.0f}')} |"
            )
    print()


def build():
    data = rows("build.tsv")
    if not data:
        return
    clean = [float(r[2]) for r in data if r[0] == "clean"]
    incr = [float(r[2]) for r in data if r[0] == "incremental"]
    binary = [r for r in data if r[0] == "binary"]
    print("### Build cost: `cargo build --release -p generated-vsphere-session`, s\n")
    print("| clean | incremental (spec touched) | binary MiB | stripped MiB |")
    print("|---:|---:|---:|---:|")
    size = lambda i: f"{int(binary[-1][i]) / 2**20:.2f}" if binary else "-"  # noqa: E731
    print(f"| {fig(clean, '{:.1f}')} | {fig(incr, '{:.1f}')} | {size(1)} | {size(2)} |")
    print()


def instructions():
    data = rows("instructions.tsv")
    if not data:
        return
    print("### Instructions per proxied REST request (callgrind, user space, wrk -c8 for 8 s)\n")
    print("| target | requests | instructions | per request |")
    print("|---|---:|---:|---:|")
    for label, requests, ir in data:
        print(f"| {label} | {int(requests):,} | {int(ir):,} | {int(ir) // int(requests):,} |")
    print()


machine()
serve()
instructions()
codegen()
codegen_cpu()
build()
