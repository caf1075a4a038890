"""The bulk path for a first load: records -> CSV files -> ``neo4j-admin database import full``.

``python -m loaders works --bulk FILE...`` (and the same for arxiv, openalex, paperscape).

The records are read, rejected and parsed exactly as by the transactional loader
(the same ``loaders.SOURCES`` readers and parsers, the same rejects file), cut into
the same batches, and each batch goes through the same ``loaders.rows`` functions
(``lookup_rows``, ``assign_ids``, ``paper_rows``; the authorships follow ``people_rows``' rules
without building its rows). Instead of ``UNWIND`` queries, the
rows are applied to an in-memory picture of the graph that follows the merge rules
of ``cypher/load/*.cypher`` (identity looked up before each batch, a value never
overwritten with null, first identifiers kept, lists unioned in order ...), so the
ids and the merges of duplicate records are those of the transactional loader.
Memory stays bounded: papers, authors, topics and institutions are integer
indexes, edges and pairs are numpy arrays, and paper rows are spilled to disk
and folded in a second pass.

The derived data is computed right after the pass with the rules of
``loaders.derive``: COAUTHOR (one per pair, smaller id to larger, from papers
with at most ``max_coauthor_authors`` authors), AFFILIATED_WITH, the authors'
works_count, cited_by_count and h_index, the papers' cited_by_count (the larger of
the source's count and the incoming CITES). Everything is written as CSV in the
header format of ``neo4j-admin database import full`` and imported, from the jars
the project provisions (``graph.server.LocalServer.import_full``), into the local
server's database while the server is stopped. The server is then started, the
constraints and indexes created (``graph.schema.ensure_schema``) and the empty
lists of Papers that CSV cannot express set (``cypher/bulk/*``).

Only into an empty database of the local server: a database that holds nodes,
or ``NEO4J_URI`` naming another server, is refused (``BulkError``) with the
transactional loader as the way to go.

The package follows the phases: ``read`` (each file parsed once, in a child process, noted in the
people plan, its papers, topics and citations applied to the in-memory picture, and spilled), ``plan``
(the people decided on every core), ``graph`` (the spilled batches' authorships applied with their
people) or, when the plan is kept as columns (the native library), ``bylines`` (the authorships noted
while they were read, merged with array operations; nothing spilled), ``reduce`` and ``csvfiles``
(derived data and CSV; the files that need no author are written by a forked child during the
authorships, the institutions, AUTHORED and AFFILIATED_WITH by another while the co-authors are
ranked), ``importer`` (the offline import), ``finish`` (start, schema, lists).
"""

from __future__ import annotations

import functools
import gc
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.db import GraphConfig
from graph.server import LocalServer
from loaders import DEFAULT_BATCH_SIZE, Format, _Progress, each_file, prepare
from loaders.bulk.common import BulkError, BulkSummary, _Clock
from loaders.bulk.csvfiles import _Files, _Writer
from loaders.bulk.finish import finish
from loaders.bulk.graph import _Graph
from loaders.bulk.importer import _scratch, check_empty, run_import
from loaders.bulk.plan import decide
from loaders.bulk.read import _apply_file, _Pass, _plan_file
from loaders.derive import DEFAULT_MAX_COAUTHOR_AUTHORS

__all__ = ["BulkCsv", "BulkError", "BulkSummary", "bulk_load", "write_csv"]


def bulk_load(source: str, paths: Sequence[str | Path], *, server: LocalServer | None = None,
              rejects: str | Path | None = None, batch_size: int = DEFAULT_BATCH_SIZE, progress: bool = True,
              max_coauthor_authors: int = DEFAULT_MAX_COAUTHOR_AUTHORS, owner: str | None = None,
              csv_dir: str | Path | None = None, import_memory: str = "2g", import_heap: str = "2g",
              environ: dict[str, str] | None = None) -> BulkSummary:
    """Load ``paths`` of format ``source`` into the local server's empty database with the offline importer.

    Same reading, rejects, identity and derived data as ``loaders.load_files``. The server
    (``server``, else the project's own) is stopped for the import and started again
    afterwards (left running if it was running, stopped otherwise). BulkError when the
    database holds nodes or ``NEO4J_URI`` names another server; FileError when a file
    cannot be read (checked before anything is done); ServerError when the import fails.
    ``csv_dir`` keeps the CSV files there (default: a temporary folder, removed).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    external = GraphConfig.from_env(environ)
    if external is not None:
        raise BulkError(
            f"NEO4J_URI points at {external.uri}: --bulk writes the store files of the local server with "
            "neo4j-admin, which cannot reach another server. Use the transactional loader there "
            "(python -m loaders SOURCE FILE..., without --bulk), or unset NEO4J_URI to bulk-load the local server.")
    fmt, files = prepare(source, paths, owner)
    server = server or LocalServer()
    started = time.monotonic()
    summary = BulkSummary(source, files=[str(p) for p in files])
    clock = _Clock(summary)
    was_running = server.info() is not None
    check_empty(server)
    clock.done("check")

    folder = Path(csv_dir) if csv_dir else Path(tempfile.mkdtemp(prefix="bulk-", dir=_scratch(server)))
    try:
        csv = _write_csv(fmt, files, folder, summary, clock, rejects=rejects, batch_size=batch_size,
                         progress=progress, max_coauthor_authors=max_coauthor_authors)
        options = run_import(server, csv.files, csv.delimiter, import_memory=import_memory, import_heap=import_heap)
        summary.imported = (csv.files.nodes, csv.files.relationships, options)
        clock.done("import")
    finally:
        if not csv_dir:
            shutil.rmtree(folder, ignore_errors=True)

    clock.done("cleanup")  # the CSV files removed (gigabytes at a million papers)
    finish(server, summary, clock, keep_running=was_running)
    summary.seconds = time.monotonic() - started
    return summary


@dataclass
class BulkCsv:
    """The import's CSV files as ``write_csv`` left them: per node label and relationship type the header and
    data files (in the order the importer takes them), and the array delimiter their list fields use."""

    files: _Files
    delimiter: str

    @property
    def nodes(self) -> list[tuple[str, list[Path]]]:
        return self.files.nodes

    @property
    def relationships(self) -> list[tuple[str, list[Path]]]:
        return self.files.relationships


def write_csv(source: str, paths: Sequence[str | Path], folder: str | Path, *, rejects: str | Path | None = None,
              batch_size: int = DEFAULT_BATCH_SIZE, progress: bool = True,
              max_coauthor_authors: int = DEFAULT_MAX_COAUTHOR_AUTHORS, owner: str | None = None
              ) -> tuple[BulkSummary, BulkCsv]:
    """``bulk_load`` up to its CSV files, into ``folder``, with no server: what it would import, and its summary.

    The import's files can be read or checked without a stop, an import and a start of a server (the tests
    compare them with the transactional loader's graph), or imported later (``BulkSummary.imported``'s way).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    fmt, files = prepare(source, paths, owner)
    started = time.monotonic()
    summary = BulkSummary(source, files=[str(p) for p in files])
    csv = _write_csv(fmt, files, Path(folder), summary, _Clock(summary), rejects=rejects, batch_size=batch_size,
                     progress=progress, max_coauthor_authors=max_coauthor_authors)
    summary.seconds = time.monotonic() - started
    return summary, csv


def _write_csv(fmt: Format, files: list[Path], folder: Path, summary: BulkSummary, clock: _Clock, *,
               rejects: str | Path | None, batch_size: int, progress: bool, max_coauthor_authors: int) -> BulkCsv:
    """The phases read, people, rows and derive+csv (and metrics) into ``summary``: the CSV files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    # Millions of long-lived small objects and no cycles: the cyclic collector would rescan them all
    # again and again (a 100,000-paper pass took 3x as long with it).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with open(folder / "papers.spill", "w+b") as spill:
            graph = _Graph(spill)
            state = _Pass(graph, summary, batch_size, folder)
            bar = _Progress(sum(p.stat().st_size for p in files), progress, f"{summary.source} --bulk")
            try:
                each_file(files, rejects, summary, functools.partial(_plan_file, fmt, state=state, bar=bar))
                clock.done("read")
                bar.describe(f"{summary.source} --bulk: people")
                decide(state.plan)
                graph.plan = state.plan
                clock.done("people")
                bar.describe(f"{summary.source} --bulk: rows")
                csv = _Files(folder)
                # The papers are all applied: their files are written meanwhile (a child on the idle core).
                writer = _Writer(graph, csv, max_coauthor_authors)
                writer.start()
                try:
                    if state.bylines is not None:  # the authorships noted as columns: merged at once
                        state.bylines.apply(graph, state.papers)
                    else:
                        batches = iter(state.papers)
                        for path in state.spills:
                            _apply_file(path, state, batches)
                    state.papers.clear()
                    clock.done("rows")
                    writer.write()
                finally:
                    writer.stop()
            finally:
                bar.close()
        (folder / "papers.spill").unlink()
        summary.nodes, summary.relationships, summary.csv_bytes = writer.nodes, writer.relationships, csv.size
        summary.derived_authors = writer.n_authors
        delimiter = writer.delimiter
        metrics_seconds = writer.seconds["metrics"]
        del graph, state, writer  # the picture of the graph is on disk now: free it before the importer runs
        clock.done("derive+csv")  # its CPU includes the metrics'
        summary.phases["derive+csv"] -= metrics_seconds
        summary.phases["metrics"] = metrics_seconds
    finally:
        if collecting:
            gc.enable()
    return BulkCsv(csv, delimiter)
