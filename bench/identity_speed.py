"""Load time with and without disambiguation, side by side on one server, alternating.

``python -m bench.identity_speed (--base DIR | --keys) [--papers 10000 | --sample] [--repeat 3]``

``DIR`` is another copy of the project (e.g. ``git archive <commit> | tar -x -C DIR``
of the commit before disambiguation). Each round empties the database and loads the
same synthetic corpus (``bench.synth``, cached by ``bench.load``) once with each copy's
``loaders.load_files`` in a process of its own, alternating which goes first; the
medians and their ratio are printed. A shared, noisy machine is the reason for the
alternation: both copies meet the same load. ``--sample`` loads the bundled sample
(``loaders.sample``, what the test suite loads) instead; ``DIR`` must then have it too.
``--keys`` compares within this tree instead: the base is this very loader with the people left at
their ``name:<last>_<first initial>`` keys (no plan of the people, no clustering: the rule before
disambiguation), so what differs is disambiguation alone, not the other work merged since a commit.
The CPU seconds of each load's process (with the processes it forks) and of the server
are printed beside the wall time: on a shared machine they are the fair comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graph.db import Graph, GraphConfig, run_autocommit
from graph.server import USER, LocalServer, Settings

ROOT = Path(__file__).resolve().parent.parent
_TICK = os.sysconf("SC_CLK_TCK")

_WORKER = """
import json, sys, time
from graph.db import Graph, GraphConfig
from loaders import load_files
config = GraphConfig(uri=sys.argv[1], user=sys.argv[2], password=sys.argv[3], database="neo4j",
                     connection_timeout=60.0)
if sys.argv[6] == "keys":
    # The rule before disambiguation: every byline keeps its block key (the Work's own id); nothing planned.
    import loaders
    from loaders.people import Plan
    loaders.plan_pass = lambda fmt, files, db, chunk=0, keep=0: (Plan(), [None] * len(files))
with Graph.connect(config) as db:
    started = time.monotonic()
    if sys.argv[4] == "sample":
        from pathlib import Path
        from loaders.sample import load_sample
        load_sample(db, progress=False, rejects_dir=Path(sys.argv[5]).parent)
    else:
        load_files(db, "works", [sys.argv[4]], rejects=sys.argv[5], progress=False)
    print(json.dumps({"seconds": time.monotonic() - started}))
"""


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the server process has used so far: ``/proc/<pid>/stat``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    against = parser.add_mutually_exclusive_group(required=True)
    against.add_argument("--base", type=Path, help="the other copy of the project")
    against.add_argument("--keys", action="store_true",
                       help="base = this tree with the people left at their name keys (no disambiguation)")
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample", action="store_true", help="load the bundled sample instead of --papers")
    args = parser.parse_args(argv)
    from bench.load import corpus

    path = "sample" if args.sample else str(corpus(args.papers, 1))
    # The warm-up only has to warm the server's JIT: at most 10,000 papers, so a 100,000-paper
    # comparison does not spend ten minutes on a load it does not count.
    warm = "sample" if args.sample else str(corpus(min(args.papers, 10_000), 1))
    times: dict[str, list[float]] = {"base": [], "this": []}
    # CPU seconds of the loader's process (with any processes it forks) and of the server, per load.
    cpu: dict[str, list[tuple[float, float]]] = {"base": [], "this": []}
    with tempfile.TemporaryDirectory(prefix="bench-identity-speed-") as tmp:
        server = LocalServer(Path(tmp) / "neo4j", Settings(heap="1g", pagecache="512m", tx_timeout="600s"))
        info = server.start(bolt_port=None, http_port=None, quiet=True)
        try:
            # A loaded machine answers slowly: the web's 3-second timeout failed a delete between rounds.
            config = GraphConfig(uri=info.uri, user=USER, password=server.password(), database="neo4j",
                                 connection_timeout=60.0)
            with Graph.connect(config) as db:
                # A fresh server's first load costs it 30-60 s of CPU more (JIT warm-up): one load, not counted.
                for n in range(-1, args.repeat):
                    order = ("this",) if n < 0 else ("base", "this") if n % 2 == 0 else ("this", "base")
                    for which in order:
                        # Relationships first, in bounded batches: DETACH DELETE of a 100,000-paper graph's
                        # topics failed with the memory-pool error (heap 1g).
                        run_autocommit(db, "maintenance/delete_relationships")
                        run_autocommit(db, "maintenance/delete_all")
                        home = args.base if which == "base" and not args.keys else ROOT
                        people = "keys" if which == "base" and args.keys else "plan"
                        started, client, server_before = time.monotonic(), _children_cpu(), server_cpu(info.pid)
                        out = subprocess.run(
                            [sys.executable, "-c", _WORKER, info.uri, USER, server.password(),
                             warm if n < 0 else path,
                             str(Path(tmp) / "rejects.jsonl"), people],
                            cwd=home, env={"PYTHONPATH": str(home), "PATH": "/usr/bin:/bin"},
                            capture_output=True, text=True, check=True)
                        seconds = json.loads(out.stdout.strip().splitlines()[-1])["seconds"]
                        used = (_children_cpu() - client, server_cpu(info.pid) - server_before)
                        if n >= 0:
                            times[which].append(seconds)
                            cpu[which].append(used)
                        name = "warm-up" if n < 0 else f"round {n + 1}"
                        print(f"{name} {which}: {seconds:.1f} s (wall {time.monotonic() - started:.1f} s, "
                              f"CPU loader {used[0]:.1f} s, server {used[1]:.1f} s, "
                              f"load average {os.getloadavg()[0]:.1f})",
                              file=sys.stderr, flush=True)
        finally:
            server.stop()
    base, this = statistics.median(times["base"]), statistics.median(times["this"])
    # CPU time does not depend on what else the machine runs: the fair figure on a shared machine.
    for which in ("base", "this"):
        client = statistics.median(c for c, _ in cpu[which])
        spent = statistics.median(s for _, s in cpu[which])
        print(f"{which}: median CPU loader {client:.1f} s + server {spent:.1f} s = {client + spent:.1f} s")
    # The machine may be shared: the load average says how much the medians can be trusted.
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    what = "the sample" if args.sample else f"{args.papers:,} papers"
    label = "people by name key (this tree)" if args.keys else f"base {args.base}"
    print(f"{what}, {args.repeat} rounds: {label} median {base:.1f} s, with disambiguation "
          f"{this:.1f} s ({(this / base - 1) * 100:+.0f} %); load average at the end {load} "
          f"({os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
