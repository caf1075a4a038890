"""The API latency benchmark: profile, neighbourhood (depth 2, capped), path and search requests over HTTP.

``python -m bench.api [--papers 100000] [--requests 200] [--clients 1,16] [--browser | --browser-only] [--write-docs]``

1. The synthetic corpus (``bench.synth``, cached in ``bench/out/``) is loaded with
   ``loaders.load_files`` into a Neo4j of the benchmark's own (kept in
   ``bench/out/api-neo4j-<papers>-seed<seed>/`` and reused while it holds that corpus),
   or into the server ``NEO4J_URI`` names (with ``--wipe``: it is emptied).
2. The app (``app.create_app()``) is served by werkzeug's threaded server in a
   separate process on a free port of 127.0.0.1.
3. Request targets are drawn once, with a fixed seed, from the graph: authors
   across the range of productivity, pairs of authors for paths, name prefixes and
   title words for search. Every kind is warmed up, then measured with 1 client and
   with 16 concurrent clients (threads, one HTTP request at a time each), bounded by
   ``--requests`` per kind and ``--seconds`` per measurement.
4. With ``--browser`` (or ``--browser-only``, without the request latencies): the explorer in
   headless Chromium, from navigation until the Cytoscape instance holds a laid-out slice of about
   300 elements, for 5 researchers, each loaded twice (the first load computes the layout).

Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlencode

from graph.db import Graph, GraphConfig, run_autocommit
from graph.schema import ensure_schema
from graph.server import USER, LocalServer, Settings, free_port, neo4j_version

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
DOCS = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench.api:begin -->", "<!-- bench.api:end -->"
BROWSER_BEGIN, BROWSER_END = "<!-- bench.api.browser:begin -->", "<!-- bench.api.browser:end -->"
BROWSER_SLICES = 5      # researchers whose slices are timed in the browser, each loaded twice
TARGETS_MS = {"profile": 50, "neighbourhood": 100, "path": 150, "search": 30}
KINDS = tuple(TARGETS_MS)


# -- the graph ---------------------------------------------------------------------------------------------
def graph_config(args: argparse.Namespace) -> tuple[GraphConfig, LocalServer | None]:
    if os.environ.get("NEO4J_URI"):
        env = GraphConfig.from_env()
        assert env is not None
        return env, None
    home = OUT / f"api-neo4j-{args.papers}-seed{args.seed}"
    server = LocalServer(home, Settings(heap=args.heap, pagecache=args.pagecache, tx_timeout="120s"))
    info = server.info() or server.start(bolt_port=None, http_port=None, quiet=True)
    return GraphConfig(uri=info.uri, user=USER, password=server.password(), database="neo4j"), server


def ensure_corpus(db: Graph, args: argparse.Namespace) -> None:
    """Load the corpus unless the graph already holds it (same number of papers, nothing else)."""
    from bench.load import corpus
    from graph import stats
    from loaders import load_files

    path = corpus(args.papers, args.seed)
    counts = stats.counts(db)
    if counts.papers == args.papers and not args.reload:
        print(f"the graph already holds {counts.papers:,} papers: not reloading", file=sys.stderr)
        return
    if not counts.empty and os.environ.get("NEO4J_URI") and not args.wipe:
        raise SystemExit("NEO4J_URI's database is not empty: pass --wipe to empty it")
    run_autocommit(db, "maintenance/delete_all")
    ensure_schema(db)
    started = time.perf_counter()
    summary = load_files(db, "works", [path], rejects=OUT / "api-rejects.jsonl", progress=sys.stderr.isatty())
    print(summary.line(), f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)


def draw_targets(db: Graph, n: int, seed: int) -> dict[str, list[str]]:
    """Request paths for each kind, drawn reproducibly from the graph."""
    rng = random.Random(seed)
    rows = db.driver.execute_query(
        "MATCH (a:Author) WHERE a.works_count >= 2 RETURN a.id AS id, a.name AS name, a.works_count AS works "
        "ORDER BY a.id", database_=db.database).records
    authors = [(r["id"], r["name"] or "", r["works"]) for r in rows]
    by_works = sorted(authors, key=lambda a: a[2])
    # Mostly ordinary researchers, plus the heavy tail (the most prolific 1 %): both are real requests.
    tail = by_works[-max(1, len(by_works) // 100):]
    picks = [rng.choice(authors) for _ in range(n * 9 // 10)] + [rng.choice(tail) for _ in range(n - n * 9 // 10)]
    rng.shuffle(picks)
    titles = [r["title"] for r in db.driver.execute_query(
        "MATCH (p:Paper) WHERE p.title IS NOT NULL RETURN p.title AS title ORDER BY p.id LIMIT 5000",
        database_=db.database).records]
    words = [w for t in titles for w in t.split() if len(w) > 4 and w.isalpha()]
    texts = []
    for i in range(n):
        if i % 2:
            texts.append(rng.choice(words).lower())
        else:
            last = rng.choice(authors)[1].split()[-1] if authors else "wang"
            texts.append(last[: max(3, min(len(last), rng.randint(3, 7)))])
    return {
        "profile": [f"/api/authors/{quote(a[0], safe=':')}" for a in picks],
        "neighbourhood": [f"/api/authors/{quote(a[0], safe=':')}/neighbourhood?depth=2" for a in picks],
        "path": ["/api/paths?" + urlencode({"from": rng.choice(authors)[0], "to": rng.choice(authors)[0]})
                 for _ in range(n)],
        "search": ["/api/search?" + urlencode({"q": t, "limit": 10}) for t in texts],
    }


# -- the app server -----------------------------------------------------------------------------------------
SERVE = """
import logging, sys
from werkzeug.serving import make_server
from app import create_app
logging.getLogger("werkzeug").setLevel(logging.ERROR)
app = create_app()
server = make_server("127.0.0.1", int(sys.argv[1]), app, threaded=True)
print("ready", flush=True)
server.serve_forever()
"""


def serve(config: GraphConfig, root: Path = ROOT) -> tuple[subprocess.Popen, int]:
    """The app of the source tree at ``root`` served on a free port, in a process of its own."""
    port = free_port()
    env = {**os.environ, "NEO4J_URI": config.uri, "NEO4J_USER": config.user, "NEO4J_PASSWORD": config.password,
           "NEO4J_DATABASE": config.database or "", "PYTHONPATH": str(root)}
    proc = subprocess.Popen([sys.executable, "-c", SERVE, str(port)], cwd=root, env=env, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    if proc.stdout.readline().strip() != "ready":
        proc.kill()
        raise SystemExit("the app server did not start")
    return proc, port


# -- measuring -----------------------------------------------------------------------------------------------
@dataclass
class Result:
    kind: str
    clients: int
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def pct(self, q: float) -> float:
        values = sorted(self.latencies_ms)
        if not values:
            return float("nan")
        return values[min(len(values) - 1, max(0, round(q * len(values)) - 1))]

    @property
    def median(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")


def request(port: int, path: str) -> tuple[float, int]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return (time.perf_counter() - started) * 1000, response.status
    finally:
        conn.close()


def measure(port: int, kind: str, paths: list[str], clients: int, seconds: float) -> Result:
    """Send ``paths`` (each once) from ``clients`` threads, stopping early after ``seconds``."""
    result = Result(kind, clients)
    lock = threading.Lock()
    todo = list(paths)
    deadline = time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                if not todo:
                    return
                path = todo.pop()
            try:
                ms, status = request(port, path)
            except OSError as exc:
                with lock:
                    result.errors.append(f"{path}: {exc}")
                continue
            with lock:
                result.latencies_ms.append(ms)
                if status != 200:
                    result.errors.append(f"{path}: HTTP {status}")

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - started
    return result


@dataclass
class BrowserRun:
    """Seconds from navigation until the explorer held its laid-out slice: each slice's first load (its
    layout computed by the server) and a second load of the same URL."""

    centres: list[str]
    elements: list[int]
    first: list[float] = field(default_factory=list)
    again: list[float] = field(default_factory=list)

    def line(self) -> str:
        sizes = f"{min(self.elements)}-{max(self.elements)}" if len(set(self.elements)) > 1 else str(self.elements[0])
        return (f"The explorer in headless Chromium (`--browser`), from navigation until the Cytoscape instance "
                f"holds the laid-out slice (every node of the slice placed, labels placed), depth 1, "
                f"{len(self.centres)} researchers with slices of {sizes} elements, each loaded twice: first load "
                f"median {statistics.median(self.first):.2f} s (slowest {max(self.first):.2f} s), second load "
                f"median {statistics.median(self.again):.2f} s (target ≤ 1.5 s: "
                f"{'met' if statistics.median(self.first) <= 1.5 else 'MISSED'}).")


PROBE = """const el = document.getElementById('explore-graph'); const cy = el && el._cyreg && el._cyreg.cy;
// Laid out means every node of the slice is in place and the labels are placed (assets/graph_labels.js
// counts its runs); a page still drawing, or one of an earlier navigation, does not count.
if (!cy || !cy.scratch('_pgLabelRuns') || cy.nodes().length < arguments[0].length) return -1;
for (const id of arguments[0]) { if (cy.getElementById(id).empty()) return -1; }
return cy.elements().boundingBox().w > 0 ? cy.elements().length : -1;"""


def browser_time(port: int, slices: dict[str, list[str]]) -> BrowserRun:
    """Each of ``slices`` (centre -> the ids of its slice's nodes) loaded twice in headless Chromium."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("PEERGRAPH_CHROMIUM", "/usr/bin/chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1400,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(os.environ.get("PEERGRAPH_CHROMEDRIVER", "/usr/bin/chromedriver")),
                              options=options)
    run = BrowserRun(list(slices), [])

    def load(centre: str) -> tuple[float, int]:
        started = time.perf_counter()
        driver.get(f"http://127.0.0.1:{port}/explore?" + urlencode({"centre": centre}))
        while (count := driver.execute_script(PROBE, slices[centre])) < 0:
            if time.perf_counter() - started > 60:
                raise SystemExit(f"the explorer did not draw the slice around {centre} within 60 s")
            time.sleep(0.01)
        return time.perf_counter() - started, count

    try:
        driver.get(f"http://127.0.0.1:{port}/")       # warm: scripts cached, as for a returning user
        load(next(iter(slices)))                       # ... and the explorer's own bundle
        for centre in list(slices)[1:]:
            seconds, count = load(centre)
            run.first.append(seconds)
            run.elements.append(count)
            run.again.append(load(centre)[0])
    finally:
        driver.quit()
    run.centres = run.centres[1:]
    return run


def slices_of_about(port: int, elements: int, candidates: list[str], count: int) -> dict[str, list[str]]:
    """``count`` authors whose explorer slices (depth 1, default caps) have numbers of elements closest to
    ``elements``, with the ids of their slices' nodes, nearest first."""
    sizes: list[tuple[int, str, list[str]]] = []
    for author_id in dict.fromkeys(candidates[:80]):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", f"/api/authors/{quote(author_id, safe=':')}/neighbourhood")
        body = json.loads(conn.getresponse().read())
        conn.close()
        ids = [n["data"]["id"] for n in body.get("nodes", [])]
        sizes.append((abs(len(ids) + len(body.get("edges", [])) - elements), author_id, ids))
    return {author_id: ids for _, author_id, ids in sorted(sizes)[:count]}


# -- report -------------------------------------------------------------------------------------------------
def table(results: list[Result]) -> str:
    lines = ["| request | clients | requests | median ms | p95 ms | max ms | errors | target p95 (1 client) |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        target = TARGETS_MS[r.kind]
        verdict = (f"≤ {target} ms: {'met' if r.pct(0.95) <= target else 'MISSED'}" if r.clients == 1 else "")
        lines.append(f"| {r.kind} | {r.clients} | {len(r.latencies_ms)} | {r.median:.1f} | {r.pct(0.95):.1f} | "
                     f"{max(r.latencies_ms, default=float('nan')):.1f} | {len(r.errors)} | {verdict} |")
    return "\n".join(lines)


def write_docs(text: str, *, begin: str = BEGIN, end: str = END, heading: str = "") -> None:
    """Put ``text`` between the ``begin``/``end`` markers of docs/benchmarks.md (appended, under ``heading``,
    when the markers are not there yet)."""
    page = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    section = f"{begin}\n{text.strip()}\n{end}"
    if begin in page and end in page:
        head, rest = page.split(begin, 1)
        page = head + section + rest.split(end, 1)[1]
    else:
        page = page.rstrip() + "\n\n" + (f"{heading}\n\n" if heading else "") + section + "\n"
    DOCS.write_text(page, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.api", description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=200, help="requests per kind and measurement (200)")
    parser.add_argument("--seconds", type=float, default=60, help="time bound per measurement (60)")
    parser.add_argument("--clients", default="1,16", help="concurrency levels (1,16)")
    parser.add_argument("--browser", action="store_true", help="also time the explorer in headless Chromium")
    parser.add_argument("--browser-only", action="store_true",
                        help="time only the explorer in headless Chromium (no request latencies)")
    parser.add_argument("--heap", default="2g")
    parser.add_argument("--pagecache", default="1g")
    parser.add_argument("--reload", action="store_true", help="load the corpus again even if it is there")
    parser.add_argument("--wipe", action="store_true", help="allow emptying a non-empty NEO4J_URI database")
    parser.add_argument("--write-docs", action="store_true", help="update the API latency figures in docs/")
    parser.add_argument("--stop", action="store_true", help="stop the benchmark's own Neo4j at the end")
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    config, server = graph_config(args)
    proc = None
    try:
        with Graph.connect(config) as db:
            ensure_schema(db)
            ensure_corpus(db, args)
            targets = draw_targets(db, args.requests, args.seed)
            proc, port = serve(config)
            results: list[Result] = []
            if not args.browser_only:
                for kind in KINDS:                      # warm-up: plans compiled, pages cached
                    measure(port, kind, targets[kind][: max(20, args.requests // 5)], 4, args.seconds)
                load_before = os.getloadavg()[0]
                results = [measure(port, kind, targets[kind], int(c), args.seconds)
                           for c in args.clients.split(",") for kind in KINDS]
                load_after = os.getloadavg()[0]
                print(table(results))
                for r in results:
                    for error in r.errors[:3]:
                        print(f"  {r.kind} x{r.clients}: {error}", file=sys.stderr)
            browser = ""
            if args.browser or args.browser_only:
                ids = [unquote(p.split("/")[3]) for p in targets["profile"]]
                browser_load = os.getloadavg()
                # One more than timed: the first load warms the browser's cache of the explorer's scripts.
                run = browser_time(port, slices_of_about(port, 300, ids, BROWSER_SLICES + 1))
                browser = run.line()
                print(browser)
        machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        setting = (f"({machine}; Neo4j {neo4j_version()}, heap {args.heap}, page cache {args.pagecache}; werkzeug "
                   f"threaded server, clients on the same machine")
        if results:
            (OUT / "api-results.json").write_text(json.dumps(
                [{"kind": r.kind, "clients": r.clients, "latencies_ms": r.latencies_ms, "errors": r.errors}
                 for r in results]), encoding="utf-8")
        if args.write_docs and results:
            write_docs(f"`python -m bench.api --papers {args.papers} --requests {args.requests}` on "
                       f"{time.strftime('%Y-%m-%d')} {setting}; 1-minute load average {load_before:.1f} before "
                       f"and {load_after:.1f} after the measurements):\n\n{table(results)}\n")
        if args.write_docs and browser:
            after = os.getloadavg()
            command = (f"--papers {args.papers} --browser-only" if args.browser_only
                       else f"--papers {args.papers} --requests {args.requests} --browser")
            write_docs(f"`python -m bench.api {command}` on "
                       f"{time.strftime('%Y-%m-%d %H:%M %Z')} {setting}; load average (1, 5, 15 min) "
                       f"{' '.join(f'{x:.1f}' for x in browser_load)} before and "
                       f"{' '.join(f'{x:.1f}' for x in after)} after):\n\n{browser}\n",
                       begin=BROWSER_BEGIN, end=BROWSER_END)
        return 0 if all(not r.errors for r in results) else 1
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
        if server is not None and args.stop:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
