"""The load test: 16 concurrent clients for 60 s over a realistic mix, against the app served by gunicorn.

``python -m bench.load_test [--papers 100000] [--clients 16] [--seconds 60] [--workers 2] [--threads 8] [--write-docs]``

1. The graph is the one ``bench.api`` uses: the synthetic corpus loaded into the
   benchmark's own Neo4j in ``bench/out/`` (``bench.api.graph_config`` and
   ``ensure_corpus``), or ``NEO4J_URI`` (with ``--wipe``: it is emptied).
2. The app is served the way the README tells people to: ``gunicorn -c gunicorn.conf.py``
   (gthread workers, the app built in each worker after the fork), with ``NEO4J_URI``
   pointing at that graph, on a free port of 127.0.0.1. Its access log goes to
   ``bench/out/load-test-gunicorn.log``.
3. Targets are drawn with ``bench.api.draw_targets`` (fixed seed; authors across the
   range of productivity, the heavy tail included; random pairs for paths; surname
   prefixes and title words for search), plus console reads: saved analyst queries
   from ``cypher/analyst/`` sent to ``POST /api/cypher`` with parameters.
4. After a short warm-up, ``--clients`` threads each send one request at a time (a
   fresh connection each, as ``bench.api`` does), picking the kind at random with the
   weights of ``MIX``, until ``--seconds`` have passed or ``--max-requests`` were sent.

Only 127.0.0.1 is ever contacted. The console's rate limit is lifted for the run
(``PEERGRAPH_CYPHER_RATE_LIMIT=off``): every client here shares one address, where
real users each have their own.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote

from bench.api import OUT, ROOT, TARGETS_MS, Result, draw_targets, ensure_corpus, graph_config, request, write_docs
from graph.db import Graph, GraphConfig
from graph.queries import query
from graph.schema import ensure_schema
from graph.server import free_port, neo4j_version

BEGIN, END = "<!-- bench.load_test:begin -->", "<!-- bench.load_test:end -->"
HEADING = "## Load test"
# What people do, roughly: look someone up, open the profile, explore around it, ask for a path; analysts
# run console queries.
MIX = {"search": 0.30, "profile": 0.25, "neighbourhood": 0.20, "path": 0.10, "console": 0.15}
KINDS = tuple(MIX)
CONSOLE_QUERIES = ("analyst/top_collaborators", "analyst/papers_citing_author", "analyst/search_paper_titles",
                   "analyst/most_cited_papers")


# -- targets ---------------------------------------------------------------------------------------------------
def console_targets(targets: dict[str, list[str]], n: int, seed: int) -> list[str]:
    """JSON bodies for ``POST /api/cypher``: saved analyst queries with parameters drawn like the other kinds."""
    rng = random.Random(seed)
    authors = [unquote(p.split("/")[3]) for p in targets["profile"]]
    words = [p.split("q=", 1)[1].split("&", 1)[0] for p in targets["search"]]
    bodies = []
    for i in range(n):
        name = CONSOLE_QUERIES[i % len(CONSOLE_QUERIES)]
        if name == "analyst/search_paper_titles":
            params = {"search": unquote(rng.choice(words)), "limit": 25}
        elif name == "analyst/most_cited_papers":
            start = rng.randint(1995, 2020)
            params = {"from_year": start, "to_year": start + rng.randint(0, 5), "limit": 25}
        else:
            params = {"author_id": rng.choice(authors), "limit": 20}
        bodies.append(json.dumps({"query": query(name), "params": params}))
    rng.shuffle(bodies)
    return bodies


def post(port: int, path: str, body: str) -> tuple[float, int]:
    """Milliseconds and HTTP status of one POST on a fresh connection (as ``bench.api.request`` for GET)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        return (time.perf_counter() - started) * 1000, response.status
    finally:
        conn.close()


# -- gunicorn -----------------------------------------------------------------------------------------------------
def serve(config: GraphConfig, args: argparse.Namespace) -> tuple[subprocess.Popen, int, Path]:
    """gunicorn as the README says, on a free loopback port; returns once it answers /api/health."""
    port = free_port()
    log_path = OUT / "load-test-gunicorn.log"
    env = {**os.environ, "NEO4J_URI": config.uri, "NEO4J_USER": config.user, "NEO4J_PASSWORD": config.password,
           "NEO4J_DATABASE": config.database or "", "PEERGRAPH_HOST": "127.0.0.1", "PEERGRAPH_PORT": str(port),
           "PEERGRAPH_WORKERS": str(args.workers), "PEERGRAPH_THREADS": str(args.threads),
           "PEERGRAPH_CYPHER_RATE_LIMIT": "off", "PYTHONPATH": str(ROOT)}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with open(log_path, "w") as log:
        proc = subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py"], cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}; see {log_path}")
        try:
            if request(port, "/api/health")[1] == 200:
                return proc, port, log_path
        except OSError:
            pass
        if time.monotonic() > deadline:
            proc.terminate()
            raise SystemExit(f"gunicorn did not answer within 90 s; see {log_path}")
        time.sleep(0.5)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds used so far by these processes (0 for any that is gone)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


# -- the run -----------------------------------------------------------------------------------------------------
def run(port: int, targets: dict[str, list[str]], clients: int, seconds: float, max_requests: int,
        seed: int) -> tuple[dict[str, Result], float]:
    """``clients`` threads sending the mix until ``seconds`` pass or ``max_requests`` are sent; results, wall time."""
    results = {kind: Result(kind, clients) for kind in KINDS}
    lock = threading.Lock()
    sent = 0
    deadline = time.monotonic() + seconds
    weights = [MIX[k] for k in KINDS]

    def client(number: int) -> None:
        nonlocal sent
        rng = random.Random(seed * 1000 + number)
        while time.monotonic() < deadline:
            with lock:
                if sent >= max_requests:
                    return
                sent += 1
            kind = rng.choices(KINDS, weights)[0]
            target = rng.choice(targets[kind])
            try:
                if kind == "console":
                    ms, status = post(port, "/api/cypher", target)
                else:
                    ms, status = request(port, target)
            except OSError as exc:
                with lock:
                    results[kind].errors.append(f"{target[:120]}: {exc}")
                continue
            with lock:
                results[kind].latencies_ms.append(ms)
                if status != 200:
                    results[kind].errors.append(f"{target[:120]}: HTTP {status}")

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    for r in results.values():
        r.seconds = wall
    return results, wall


def table(results: dict[str, Result], wall: float) -> str:
    lines = ["| request | share | requests | per s | median ms | p95 ms | max ms | errors | target p95 |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    total = sum(len(r.latencies_ms) for r in results.values()) or 1
    for kind, r in results.items():
        target = TARGETS_MS.get(kind)
        verdict = f"≤ {target} ms: {'met' if r.pct(0.95) <= target else 'MISSED'}" if target else "(none set)"
        lines.append(f"| {kind} | {len(r.latencies_ms) / total:.0%} | {len(r.latencies_ms)} | "
                     f"{len(r.latencies_ms) / wall:.1f} | {r.median:.1f} | {r.pct(0.95):.1f} | "
                     f"{max(r.latencies_ms, default=float('nan')):.1f} | {len(r.errors)} | {verdict} |")
    everything = Result("all", 0, [ms for r in results.values() for ms in r.latencies_ms],
                        [e for r in results.values() for e in r.errors])
    lines.append(f"| **all** | 100% | {len(everything.latencies_ms)} | **{len(everything.latencies_ms) / wall:.1f}** | "
                 f"{everything.median:.1f} | {everything.pct(0.95):.1f} | "
                 f"{max(everything.latencies_ms, default=float('nan')):.1f} | {len(everything.errors)} | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load_test", description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60, help="length of the measured run (60)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="stop after this many requests")
    parser.add_argument("--targets", type=int, default=2000, help="distinct targets drawn per kind (2000)")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("PEERGRAPH_WORKERS", os.cpu_count() or 2)))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("PEERGRAPH_THREADS", "8")))
    parser.add_argument("--warmup", type=float, default=10, help="seconds of warm-up before the run (10)")
    parser.add_argument("--heap", default="2g")
    parser.add_argument("--pagecache", default="1g")
    parser.add_argument("--reload", action="store_true", help="load the corpus again even if it is there")
    parser.add_argument("--wipe", action="store_true", help="allow emptying a non-empty NEO4J_URI database")
    parser.add_argument("--write-docs", action="store_true", help="update the load test's figures in docs/")
    parser.add_argument("--stop", action="store_true", help="stop the benchmark's own Neo4j at the end")
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    config, server = graph_config(args)
    proc = None
    try:
        with Graph.connect(config) as db:
            ensure_schema(db)
            ensure_corpus(db, args)
            targets = draw_targets(db, args.targets, args.seed)
        targets["console"] = console_targets(targets, args.targets, args.seed)
        proc, port, log_path = serve(config, args)
        workers = children(proc.pid)
        print(f"gunicorn on 127.0.0.1:{port}: {len(workers)} workers x {args.threads} threads; warming up "
              f"{args.warmup:.0f} s ...", file=sys.stderr)
        run(port, targets, 4, args.warmup, 2000, args.seed + 1)
        neo4j_pid = server.info().pid if server is not None and server.info() else None
        app_pids = [proc.pid, *children(proc.pid)]
        cpu_app, cpu_db = cpu_seconds(app_pids), cpu_seconds([neo4j_pid] if neo4j_pid else [])
        cpu_self = time.process_time()
        load_before = os.getloadavg()
        print(f"running {args.clients} clients for {args.seconds:.0f} s ...", file=sys.stderr)
        results, wall = run(port, targets, args.clients, args.seconds, args.max_requests, args.seed)
        load_after = os.getloadavg()
        app_pids = sorted(set(app_pids) | {proc.pid, *children(proc.pid)})
        cpu_app = cpu_seconds(app_pids) - cpu_app
        cpu_db = (cpu_seconds([neo4j_pid]) - cpu_db) if neo4j_pid else float("nan")
        cpu_self = time.process_time() - cpu_self
        text_table = table(results, wall)
        print(text_table)
        for r in results.values():
            for error in r.errors[:3]:
                print(f"  {r.kind}: {error}", file=sys.stderr)
        total = sum(len(r.latencies_ms) for r in results.values())
        errors = sum(len(r.errors) for r in results.values())
        machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        command = (f"python -m bench.load_test --papers {args.papers} --clients {args.clients} "
                   f"--seconds {args.seconds:g} --workers {args.workers} --threads {args.threads}")
        cpu_line = (f"CPU used during the run: gunicorn {cpu_app:.0f} s, Neo4j {cpu_db:.0f} s, the clients "
                    f"{cpu_self:.0f} s, of {wall * (os.cpu_count() or 1):.0f} core-seconds available.")
        text = (f"`{command}` on {time.strftime('%Y-%m-%d %H:%M')} ({machine}; Neo4j {neo4j_version()}, heap "
                f"{args.heap}, page cache {args.pagecache}; gunicorn {len(workers)} workers x {args.threads} "
                f"threads (gthread), driver pool {args.threads + 2} per worker; {args.clients} clients on the same "
                f"machine; 1-minute load average {load_before[0]:.1f} before and {load_after[0]:.1f} after):\n\n"
                f"{text_table}\n\n{total:,} requests in {wall:.1f} s: **{total / wall:.1f} requests/s**, "
                f"{errors} errors. {cpu_line}\n")
        print(f"\n{total:,} requests in {wall:.1f} s: {total / wall:.1f}/s, {errors} errors; load average "
              f"{load_before[0]:.1f} -> {load_after[0]:.1f}. {cpu_line} (gunicorn log: {log_path})")
        (OUT / "load-test-results.json").write_text(json.dumps(
            {"command": command, "seconds": wall, "load_average": [load_before, load_after],
             "results": [{"kind": r.kind, "latencies_ms": r.latencies_ms, "errors": r.errors}
                         for r in results.values()]}), encoding="utf-8")
        if args.write_docs:
            write_docs(text, begin=BEGIN, end=END, heading=HEADING)
        return 0 if errors == 0 else 1
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
        if server is not None and args.stop:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
