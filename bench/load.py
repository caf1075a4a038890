"""The load benchmark: the project's loader against a naive one, side by side, in one run.

``python -m bench.load [--papers 100000] [--naive-papers 2000] [--repeat 3] [--write-docs]``

1. The synthetic corpus (``bench.synth``) is generated once and cached in ``bench/out/``.
2. A throwaway Neo4j is started on free ports (or ``NEO4J_URI`` is used: it is EMPTIED,
   so it must be empty already or ``--wipe`` given).
3. An untimed warm-up (both loaders on a small corpus of another seed), so that every
   timed load meets compiled query plans and a warm JVM.
4. Each repetition, into an emptied database (every relationship, then every node,
   deleted in batches; the schema kept): the project's loader
   (``loaders.load_files(db, "works", ...)``, derived data included) on the whole
   corpus; the project's loader on the first ``--naive-papers`` papers; the naive
   loader (``bench.naive``, one record per transaction) on the same prefix. Each load
   runs in its own process, so its peak RSS is its own; the derived data is checked
   after every load.
5. A markdown table of the medians (and, with ``--write-docs``, ``docs/benchmarks.md``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from graph.db import Graph, GraphConfig, run_autocommit
from graph.schema import ensure_schema
from graph.server import USER, LocalServer, Settings, neo4j_version

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
DOCS = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench.load:begin -->", "<!-- bench.load:end -->"


# -- the corpus ------------------------------------------------------------
def corpus(papers: int, seed: int) -> Path:
    """The cached corpus file, generated when missing."""
    from bench import synth

    path = OUT / f"synth-{papers}-seed{seed}-v{synth.GENERATOR_VERSION}.jsonl.gz"
    if not path.exists():
        written = synth.write(path, papers, seed)
        print(f"generated {path.name}: {papers:,} papers, {written.authors:,} authors, "
              f"{written.bytes / 1e6:.1f} MB in {written.seconds:.1f} s", file=sys.stderr)
    return path


def prefix(path: Path, papers: int) -> Path:
    """A file with the first ``papers`` lines of ``path`` (cached next to it)."""
    out = path.with_name(path.name.replace(".jsonl.gz", f"-first{papers}.jsonl.gz"))
    if not out.exists():
        with gzip.open(path, "rt", encoding="utf-8") as src, gzip.open(out, "wt", encoding="utf-8") as dst:
            for n, line in enumerate(src):
                if n >= papers:
                    break
                dst.write(line)
    return out


# -- one load, in its own process --------------------------------------------
@dataclass
class Run:
    """One timed load."""

    loader: str  # "project" or "naive"
    papers: int  # records in the file
    seconds: float
    read: int
    written: int
    rejected: int
    peak_rss_mb: float
    check: dict

    @property
    def rate(self) -> float:
        return self.written / self.seconds if self.seconds else 0.0


def _worker(loader: str, path: Path) -> dict:
    """Load ``path`` with ``loader`` into the graph NEO4J_* names; the result as a dict (run in a child)."""
    config = GraphConfig.from_env()
    assert config is not None, "the worker needs NEO4J_URI"
    with Graph.connect(config) as db:
        started = time.perf_counter()
        if loader == "project":
            from loaders import load_files

            with tempfile.TemporaryDirectory() as tmp:
                summary = load_files(db, "works", [path], rejects=Path(tmp) / "rejects.jsonl", progress=False)
            counts = {"read": summary.read, "written": summary.written + summary.merged,
                      "rejected": summary.rejected}
        else:
            from bench.naive import load_naive

            naive = load_naive(db, path)
            counts = {"read": naive.read, "written": naive.written, "rejected": naive.rejected}
        seconds = time.perf_counter() - started
    return {"seconds": seconds, **counts, "peak_rss_mb": peak_rss_kb() / 1024}


def peak_rss_kb() -> int:
    """This process's peak resident set size, in KiB.

    ``VmHWM`` where /proc has it: getrusage's ``ru_maxrss`` survives execve, so a child
    started by a big parent would report at least the parent's size at the fork.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def empty_graph(config: GraphConfig) -> None:
    """Delete everything (relationships first, in batches: hubs' edges overflow a node batch), keep the schema.

    Not a server restart on a fresh store: the query plans stay cached, so each load is measured warm.
    """
    with Graph.connect(config) as db:
        run_autocommit(db, "bench/delete_relationships")
        run_autocommit(db, "maintenance/delete_all")
        ensure_schema(db)


def run_load(loader: str, path: Path, papers: int, config: GraphConfig) -> Run:
    """Empty the graph, run one load in a child process, check the derived data."""
    empty_graph(config)
    env = {**os.environ, "NEO4J_URI": config.uri, "NEO4J_USER": config.user, "NEO4J_PASSWORD": config.password,
           "NEO4J_DATABASE": config.database or ""}
    done = subprocess.run([sys.executable, "-m", "bench.load", "--worker", loader, "--file", str(path)],
                          env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{loader} load failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    with Graph.connect(config) as db:
        check = db.read_one("bench/derived_check") or {}
    return Run(loader, papers, check=check, **result)


def derived_problems(run: Run) -> list[str]:
    """What is missing from the graph after a load (empty when the derived data is complete)."""
    c, problems = run.check, []
    if c.get("papers") != run.written:
        problems.append(f"{c.get('papers')} Paper nodes for {run.written} papers written")
    if not c.get("coauthor"):
        problems.append("no COAUTHOR relationships")
    if c.get("authors_without_works_count"):
        problems.append(f"{c['authors_without_works_count']} authors without works_count")
    if c.get("works_count_sum") != c.get("authored"):
        problems.append(f"sum of works_count {c.get('works_count_sum')} != AUTHORED {c.get('authored')}")
    if c.get("authors_with_h_index") != c.get("authors"):
        problems.append(f"{c.get('authors', 0) - c.get('authors_with_h_index', 0)} authors without h_index")
    if not c.get("affiliated_with"):
        problems.append("no AFFILIATED_WITH relationships")
    return problems


# -- the report ----------------------------------------------------------------
def _median(runs: list[Run], attr: str) -> float:
    return statistics.median(getattr(r, attr) for r in runs)


def table(groups: dict[str, list[Run]]) -> str:
    """The markdown table: one row per (loader, input), medians over the repetitions."""
    lines = ["| loader | papers | repetitions | seconds (median) | papers/s (median) | peak RSS of the loader |",
             "|---|---:|---:|---:|---:|---:|"]
    for label, runs in groups.items():
        lines.append(f"| {label} | {runs[0].written:,} | {len(runs)} | {_median(runs, 'seconds'):,.1f} | "
                     f"**{_median(runs, 'rate'):,.0f}** | {max(r.peak_rss_mb for r in runs):,.0f} MB |")
    return "\n".join(lines)


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    import neo4j

    return {"cpus": str(os.cpu_count()), "cpu": cpu, "memory": f"{mem_kb / 1024**2:.0f} GB",
            "python": platform.python_version(), "driver": neo4j.__version__,
            "load": " ".join(f"{x:.1f}" for x in os.getloadavg())}


def report(args: argparse.Namespace, groups: dict[str, list[Run]], corpus_stats: dict, settings: str,
           before: dict[str, str], after: dict[str, str]) -> str:
    project_full = _median(groups["project loader (whole corpus)"], "rate")
    project_prefix = _median(groups["project loader (same prefix)"], "rate")
    naive = _median(groups["naive loader (same prefix)"], "rate")
    check = groups["project loader (whole corpus)"][-1].check
    command = (f"python -m bench.load --papers {args.papers} --seed {args.seed} --naive-papers {args.naive_papers} "
               f"--repeat {args.repeat}{' --write-docs' if args.write_docs else ''}")
    return "\n".join([
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} with `{command}`.",
        "",
        f"- Machine: {before['cpus']} cores ({before['cpu']}), {before['memory']} RAM, shared: load average "
        f"(1, 5, 15 min) {before['load']} at the start and {after['load']} at the end.",
        f"- Neo4j Community {neo4j_version()} ({settings}); Python {before['python']}, "
        f"neo4j driver {before['driver']}.",
        f"- Corpus: `bench.synth` seed {args.seed}, {args.papers:,} papers, {corpus_stats['authorships']:,} "
        f"authorships of {corpus_stats['people']:,} generated people; after the load "
        f"{check.get('authors', 0):,} Author nodes (merged by name key where no ORCID), "
        f"{check.get('authored', 0):,} AUTHORED, {check.get('coauthor', 0):,} COAUTHOR, "
        f"{check.get('affiliated_with', 0):,} AFFILIATED_WITH, {check.get('about', 0):,} ABOUT.",
        "",
        table(groups),
        "",
        f"- Project loader, whole corpus: **{project_full:,.0f} papers/s** end to end (reading the .gz file, "
        "parsing, batched writes and the derived data: COAUTHOR, AFFILIATED_WITH, works, citations, h-index). "
        f"Target 5,000: {'met' if project_full >= 5000 else 'NOT met'}.",
        f"- Ratio to the naive loader: **{project_full / naive:,.0f}x** (whole corpus against the naive prefix); "
        f"**{project_prefix / naive:,.0f}x** on the same {args.naive_papers:,}-paper prefix. "
        f"Target 50x: {'met' if project_full / naive >= 50 else 'NOT met'}.",
        "- The naive loader's prefix is the corpus's first papers (the oldest, into an empty graph): "
        "its best case, so the ratio is, if anything, understated.",
    ])


def write_docs(text: str, path: Path = DOCS) -> None:
    """Replace the generated part of the "Load" section of docs/benchmarks.md (the rest is kept)."""
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{BEGIN}\n{text}\n{END}"
    if BEGIN in current and END in current:
        current = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, current, flags=re.S)
    else:
        current = current.rstrip() + f"\n\n## Load\n\n{block}\n"
    path.write_text(current, encoding="utf-8")


def corpus_stats(path: Path, papers: int, seed: int) -> dict:
    """Authorships in the file and people generated (counted by re-running the generator, not stored)."""
    from bench import synth

    people = synth.Corpus(papers, seed)
    authorships = 0
    for line in people.lines():
        authorships += line.count('{"name":')
    return {"authorships": authorships, "people": people.n_authors}


# -- main --------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--naive-papers", type=int, default=2_000, help="the prefix both loaders load (default 2000)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions; the table shows medians (default 3)")
    parser.add_argument("--heap", default="2g", help="heap of the throwaway Neo4j (default 2g)")
    parser.add_argument("--pagecache", default="1g", help="page cache of the throwaway Neo4j (default 1g)")
    parser.add_argument("--wipe", action="store_true", help="allow emptying a non-empty NEO4J_URI database")
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--worker", choices=["project", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        print(json.dumps(_worker(args.worker, args.file)))
        return 0

    before = machine()
    path = corpus(args.papers, args.seed)
    head = prefix(path, args.naive_papers)
    stats = corpus_stats(path, args.papers, args.seed)
    server, home = None, None
    external = GraphConfig.from_env()
    groups: dict[str, list[Run]] = {"project loader (whole corpus)": [], "project loader (same prefix)": [],
                                    "naive loader (same prefix)": []}
    try:
        if external is not None:
            config, settings = external, f"the server at {external.uri}"
        else:
            home = Path(tempfile.mkdtemp(prefix="peergraph-bench-"))
            server = LocalServer(home / "neo4j", Settings(heap=args.heap, pagecache=args.pagecache,
                                                          tx_timeout="600s"))
            info = server.start(bolt_port=None, http_port=None)
            config = GraphConfig(uri=info.uri, user=USER, password=server.password(), database="neo4j")
            settings = f"throwaway server, heap {args.heap}, page cache {args.pagecache}"
        with Graph.connect(config) as db:
            existing = db.read_one("stats_counts") or {}
        if server is None and (existing.get("papers") or existing.get("authors")) and not args.wipe:
            print(f"{config.uri} holds data; the benchmark empties the database: pass --wipe", file=sys.stderr)
            return 2
        # Untimed warm-up on another corpus: every run then meets compiled plans and a warm JVM.
        warm = corpus(1000, args.seed + 1000)
        for loader, n in (("project", 200), ("naive", 30)):
            run_load(loader, prefix(warm, n), n, config)
        for rep in range(1, args.repeat + 1):
            for label, loader, file, n in (("project loader (whole corpus)", "project", path, args.papers),
                                           ("project loader (same prefix)", "project", head, args.naive_papers),
                                           ("naive loader (same prefix)", "naive", head, args.naive_papers)):
                run = run_load(loader, file, n, config)
                problems = derived_problems(run)
                print(f"[{rep}/{args.repeat}] {label}: {run.written:,} papers in {run.seconds:.1f} s = "
                      f"{run.rate:,.0f} papers/s, peak RSS {run.peak_rss_mb:.0f} MB"
                      + (f"; DERIVED DATA INCOMPLETE: {'; '.join(problems)}" if problems else "; derived data ok"),
                      file=sys.stderr)
                if problems:
                    raise SystemExit(f"{label}: derived data incomplete: {'; '.join(problems)}")
                groups[label].append(run)
                (OUT / "load-results.json").write_text(json.dumps(
                    {k: [asdict(r) for r in v] for k, v in groups.items()}, indent=1))
        if server is None:
            empty_graph(config)
    finally:
        if server is not None:
            server.stop()
        if home is not None:
            shutil.rmtree(home, ignore_errors=True)
    text = report(args, groups, stats, settings, before, machine())
    print(text)
    if args.write_docs:
        write_docs(text)
        print(f"updated {DOCS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
