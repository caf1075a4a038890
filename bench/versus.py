"""Two versions of the app side by side on one graph: the same requests, in alternating rounds.

``python -m bench.versus --ref REF [--home bench/out/scale-neo4j-1000000-seed1] [--rounds 3] [--write-docs]``

On a shared 2-core machine the speed of the whole VM drifts by a quarter between runs
(Neo4j's own importer took 105 to 142 s for the same CSV on one afternoon), so two
benchmark runs an hour apart cannot compare two versions of a query. This serves the
app of git ``REF`` (checked out once into ``bench/out/versus-<ref>/``, a git worktree)
and the app of this tree, each in its own process, against the same running Neo4j
(default: the graph ``bench.scale`` left behind, started if it is stopped), and sends
both the same ``bench.api`` requests (``--kinds``, 1 client), round by round, the order
of the two apps swapped every round, so drift hits both alike. Reports the median and
p95 of each version per kind, over all rounds and per round.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.api import KINDS, OUT, ROOT, TARGETS_MS, Result, draw_targets, measure, serve, write_docs
from graph.db import Graph, GraphConfig
from graph.server import USER, LocalServer, Settings

BEGIN, END = "<!-- bench.versus:begin -->", "<!-- bench.versus:end -->"


def worktree(ref: str) -> tuple[Path, str]:
    """A checkout of ``ref`` under bench/out/ (made once), and the commit it is."""
    commit = subprocess.run(["git", "rev-parse", "--short", ref], cwd=ROOT, check=True, capture_output=True,
                            text=True).stdout.strip()
    path = OUT / f"versus-{commit}"
    if not path.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(path), commit], cwd=ROOT, check=True,
                       capture_output=True)
    return path, commit


def pct(values: list[float], q: float) -> float:
    return Result("", 1, sorted(values)).pct(q)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.versus", description=__doc__.split("\n")[0])
    parser.add_argument("--ref", required=True, help="the git ref to compare this tree with")
    parser.add_argument("--home", type=Path, default=OUT / "scale-neo4j-1000000-seed1",
                        help="the benchmark server's home (a bench.scale or bench.api one)")
    parser.add_argument("--heap", default="2g")
    parser.add_argument("--pagecache", default="6g")
    parser.add_argument("--kinds", default="neighbourhood,path", help=f"of {', '.join(KINDS)}")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args(argv)
    kinds = [k for k in args.kinds.split(",") if k]
    if unknown := set(kinds) - set(KINDS):
        raise SystemExit(f"unknown kind(s): {', '.join(sorted(unknown))}")
    old_root, commit = worktree(args.ref)
    server = LocalServer(args.home, Settings(heap=args.heap, pagecache=args.pagecache, tx_timeout="120s"))
    info = server.info() or server.start(bolt_port=None, http_port=None, quiet=True)
    config = GraphConfig(uri=info.uri, user=USER, password=server.password(), database="neo4j")
    with Graph.connect(config) as db:
        targets = draw_targets(db, args.requests, args.seed)
        papers = db.read_one("stats_counts") or {}
    apps = {commit: serve(config, old_root), "this tree": serve(config, ROOT)}
    times: dict[tuple[str, str, int], list[float]] = {}
    errors = 0
    try:
        for _, port in apps.values():                     # warm-up: plans compiled, pages cached
            for kind in kinds:
                measure(port, kind, targets[kind][: max(20, args.requests // 5)], 4, 120)
        load_before = os.getloadavg()[0]
        for number in range(args.rounds):
            order = list(apps) if number % 2 == 0 else list(reversed(apps))
            for kind in kinds:
                for name in order:
                    result = measure(apps[name][1], kind, targets[kind], 1, 600)
                    times[(name, kind, number)] = result.latencies_ms
                    errors += len(result.errors)
        load_after = os.getloadavg()[0]
    finally:
        for proc, _ in apps.values():
            proc.terminate()
            proc.wait(timeout=30)
    lines = ["| request | version | median ms | p95 ms | p95 per round (ms) | target p95 |",
             "|---|---|---:|---:|---|---|"]
    for kind in kinds:
        for name in apps:
            pooled = [t for n in range(args.rounds) for t in times[(name, kind, n)]]
            rounds = ", ".join(f"{pct(times[(name, kind, n)], 0.95):.0f}" for n in range(args.rounds))
            p95 = pct(pooled, 0.95)
            verdict = "met" if p95 <= TARGETS_MS[kind] else "missed"
            lines.append(f"| {kind} | {name} | {statistics.median(pooled):.1f} | {p95:.1f} | {rounds} | "
                         f"≤ {TARGETS_MS[kind]} ms: {verdict} |")
    table = "\n".join(lines)
    text = (f"`python -m bench.versus --ref {args.ref} --rounds {args.rounds} --requests {args.requests}` on "
            f"{time.strftime('%Y-%m-%d %H:%M')} UTC: the app at {commit} against this tree's, on the graph in "
            f"`{args.home.relative_to(ROOT) if args.home.is_relative_to(ROOT) else args.home}` "
            f"({papers.get('papers', 0):,} papers), {args.requests} requests per kind, version and round, 1 "
            f"client, {args.rounds} rounds with the order swapped every round; {errors} errors; 1-minute load "
            f"average {load_before:.1f} before and {load_after:.1f} after.\n\n{table}\n")
    print(text)
    if args.write_docs:
        write_docs(text, begin=BEGIN, end=END, heading="### Side by side")
        print(f"updated {ROOT / 'docs' / 'benchmarks.md'}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
