"""Wall time and Neo4j CPU of loading the bundled sample into a fresh server, as ``make run`` does.

``python -m bench.sample_load [--repeat 3] [--jvm-options "..."]``

Each round starts a server of its own (the project's ``LocalServer``, ``make run``'s settings: heap 1g,
page cache 512m, no test flags unless ``--jvm-options`` gives some) in a temporary folder, creates the
schema, then times ``load_sample``: the wall time, and the server's CPU seconds read from ``/proc``
before and after (the loader's own CPU is printed beside it). The medians come last. To compare two
checkouts, run it in each, one after the other, on a quiet machine. (``bench.identity_speed --sample``
compares two loaders on one warmed server: the plans a first load makes on a new graph are not in it.)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path


def one_round(jvm_options: str) -> tuple[float, float, float]:
    """(wall seconds, Neo4j CPU seconds, loader CPU seconds) of one sample load into a fresh server."""
    from bench.identity_speed import server_cpu
    from graph.db import Graph, GraphConfig
    from graph.schema import ensure_schema
    from graph.server import USER, LocalServer, Settings
    from loaders.sample import load_sample

    home = Path(tempfile.mkdtemp(prefix="peergraph-bench-sample-"))
    server = LocalServer(home, Settings(heap="1g", pagecache="512m", jvm_options=jvm_options))
    try:
        info = server.start(bolt_port=None, http_port=None, quiet=True)
        config = GraphConfig(uri=info.uri, user=USER, password=server.password(), database="neo4j")
        with Graph.connect(config) as graph:
            ensure_schema(graph)
            neo4j_before, own_before, started = server_cpu(info.pid), os.times(), time.monotonic()
            load_sample(graph, progress=False, rejects_dir=home)
            wall = time.monotonic() - started
            neo4j, own = server_cpu(info.pid) - neo4j_before, os.times()
        loader = sum(getattr(own, f) - getattr(own_before, f)
                     for f in ("user", "system", "children_user", "children_system"))
        return wall, neo4j, loader
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sample_load", description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jvm-options", default="", help="more JVM flags for the server (default: none, as make run)")
    args = parser.parse_args(argv)
    rounds = []
    for n in range(args.repeat):
        wall, neo4j, loader = one_round(args.jvm_options)
        rounds.append((wall, neo4j, loader))
        print(f"round {n + 1}: sample loaded in {wall:.1f} s; Neo4j CPU {neo4j:.1f} s, loader CPU {loader:.1f} s")
    wall, neo4j, loader = (statistics.median(r[i] for r in rounds) for i in range(3))
    print(f"median of {len(rounds)}: {wall:.1f} s wall, Neo4j CPU {neo4j:.1f} s, loader CPU {loader:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
