"""Loaders: stream a source file, turn each record into a Work, write batches into Neo4j, derive.

``load_files(db, source, paths)`` is the one entry point (the CLI ``python -m
loaders`` and ``loaders.sample`` call it). See docs/loading.md.
"""

from __future__ import annotations

import collections
import functools
import json
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from graph.db import Graph
from graph.schema import ensure_schema
from loaders import arxiv, openalex, paperscape, works
from loaders.columns import PeoplePlan, person_plan
from loaders.derive import DEFAULT_MAX_COAUTHOR_AUTHORS, derive_all, finish
from loaders.model import BadRecord, Work
from loaders.reader import FileError, Item, Source, json_items, openalex_items, text_items
from loaders.rejects import RejectLog, default_path
from loaders.rows import KeyMap, work_cost
from loaders.watch import LoadWatch
from loaders.writer import graph_empty, plan_add, plan_decide, write_split

__all__ = ["DEFAULT_BATCH_ROWS", "DEFAULT_BATCH_SIZE", "SOURCES", "Derive", "FileError", "LoadSummary", "load_files"]

# Records per write transaction at most: measured on the synthetic corpus, 5,000 costs the server less CPU
# per paper than 2,000 (fewer repeated COAUTHOR writes, fewer commits) and than 10,000 (bigger transaction state).
DEFAULT_BATCH_SIZE = 5_000
# Rows per write transaction at most (rows.work_cost: authorships, institution links, topics, citations and
# COAUTHOR increments), which is what a transaction's memory grows with; a record count alone is no bound
# (5,000 works of 100 authors each are 25 million COAUTHOR increments). See docs/loading.md for the figures.
DEFAULT_BATCH_ROWS = 50_000

# What a load brings in step after its last write. "all": the derived values of what it touched
# (``derive_all``) and the whole-graph metrics pass (``loaders.metrics``); "touched": the first only, for a
# caller that runs the pass once after several loads (a harvest, after its last page); "none": neither, for a
# caller that ends a row of loads with ``loaders.derive.finish`` (the sample). What is left pending stays
# marked in the graph, so the next load that derives finishes it (see docs/loading.md, "Derived data").
Derive = Literal["all", "touched", "none"]


@dataclass(frozen=True)
class Format:
    """How one source's files are read and its records parsed."""

    items: Callable[[Source], Iterator[Item]]
    parse: Callable[[Any], Work]


SOURCES: dict[str, Format] = {
    "arxiv": Format(json_items, arxiv.parse),
    "openalex": Format(openalex_items, openalex.parse),
    "paperscape": Format(lambda s: text_items(s, comment="#"), paperscape.parse),
    "works": Format(json_items, works.parse),
}


@dataclass
class LoadSummary:
    """What one load did. ``read == written + merged + rejected``."""

    source: str
    read: int = 0
    written: int = 0
    merged: int = 0
    rejected: int = 0
    new_papers: int = 0
    without_authors: int = 0  # written works that name no author: papers all the same
    splits: int = 0  # batches halved because Neo4j refused them transaction memory
    files: list[str] = field(default_factory=list)
    rejects_files: list[str] = field(default_factory=list)
    seconds: float = 0.0
    derived_authors: int | None = 0  # None: the load left deriving to its caller (``derive="none"``)

    def count_batch(self, ids: list[str], new_papers: int, seen: set[str]) -> None:
        """Count a written batch: a paper id already ``seen`` in this file is a merged duplicate."""
        for paper_id in ids:
            if paper_id in seen:
                self.merged += 1
            else:
                seen.add(paper_id)
                self.written += 1
        self.new_papers += new_papers

    def line(self) -> str:
        """The closing one-line summary."""
        rate = f", {self.read / self.seconds:,.0f} records/s" if self.seconds > 0 else ""
        # The sample's first files leave deriving to the end of the row: "0 re-derived" would read as none done.
        derived = ("derived data after the last file" if self.derived_authors is None
                   else f"{self.derived_authors:,} authors re-derived")
        text = (f"{self.source}: read {self.read:,} records from {len(self.files)} file"
                f"{'s' if len(self.files) != 1 else ''}: {self.written:,} written ({self.new_papers:,} new papers, "
                f"{self.without_authors:,} without authors), "
                f"{self.merged:,} merged duplicates, {self.rejected:,} rejected; "
                f"{derived} in {self.seconds:.1f} s{rate}")
        if self.splits:
            text += (f"; {self.splits:,} batch{'es' if self.splits != 1 else ''} split to fit Neo4j's "
                     "transaction memory (a smaller --batch-rows avoids the retries)")
        if self.rejects_files:
            text += f" (rejects: {', '.join(self.rejects_files)})"
        return text


class _Progress:
    """tqdm over the bytes of all input files, on stderr, only when wanted and stderr is a terminal."""

    def __init__(self, total: int, enabled: bool, desc: str) -> None:
        self.bar = None
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=desc,
                            file=sys.stderr, dynamic_ncols=True, leave=False)

    def advance(self, delta: int) -> None:
        if self.bar is not None and delta > 0:
            self.bar.update(delta)

    def describe(self, text: str) -> None:
        if self.bar is not None:
            self.bar.set_description(text)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _raw_text(item: Item) -> str | None:
    if item.raw is not None:
        return item.raw
    if item.value is None:
        return None
    try:
        return json.dumps(item.value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(item.value)


def load_files(db: Graph, source: str, paths: Sequence[str | Path], *, rejects: str | Path | None = None,
               batch_size: int = DEFAULT_BATCH_SIZE, batch_rows: int = DEFAULT_BATCH_ROWS, progress: bool = True,
               max_coauthor_authors: int = DEFAULT_MAX_COAUTHOR_AUTHORS, owner: str | None = None,
               watch: LoadWatch | None = None, derive: Derive = "all") -> LoadSummary:
    """Load ``paths`` (plain or .gz) of format ``source`` into ``db``, then bring derived data in step.

    Bad records are skipped and written to the rejects file (``rejects``, else
    ``<data dir>/rejects/FILE.rejects.jsonl`` per input, never next to it). A file that cannot be read at all
    raises FileError before anything is written; graph errors pass up as
    ``graph.errors`` exceptions. ``watch`` (``loaders.watch``) sees the graph before and after (the feed).
    ``derive``: see ``Derive``.
    """
    if batch_size < 1 or batch_rows < 1:
        raise ValueError("batch_size and batch_rows must be at least 1")
    if derive not in ("all", "touched", "none"):
        raise ValueError(f"derive must be 'all', 'touched' or 'none', not {derive!r}")
    if watch is not None and derive == "none":
        raise ValueError("a watch compares derived values: a load with a watch must derive ('all' or 'touched')")
    fmt, files = prepare(source, paths, owner)
    started = time.monotonic()
    ensure_schema(db)
    after = watch.before(db) if watch is not None else None
    summary = LoadSummary(source, files=[str(p) for p in files])
    bar = _Progress(sum(p.stat().st_size for p in files), progress, source)
    try:
        bar.describe(f"{source}: people")
        plan, kept = plan_pass(fmt, files, db, keep=KEEP_RECORDS)
        bar.describe(source)
        first = [0]  # the plan numbers works across the whole load: the next file's first work
        parsed = collections.deque(kept)  # each_file goes through the files in order, as the plan pass did
        del kept

        def load_one(path: Path, log: RejectLog) -> None:
            # Popped, so that a file's records are let go once written.
            first[0] = _load_file(db, fmt, path, log, summary, bar, _Budget(batch_size, batch_rows),
                                  max_coauthor_authors, plan, first[0], parsed.popleft())

        each_file(files, rejects, summary, load_one)
        bar.describe(f"{source}: deriving")
        if derive == "all":
            _, summary.derived_authors = finish(db, max_coauthor_authors=max_coauthor_authors)
        elif derive == "touched":
            _, summary.derived_authors = derive_all(db, max_coauthor_authors=max_coauthor_authors)
        else:
            summary.derived_authors = None
        if after is not None:
            bar.describe(f"{source}: feed")
            after(db)
    finally:
        bar.close()
    summary.seconds = time.monotonic() - started
    return summary


def prepare(source: str, paths: Sequence[str | Path], owner: str | None) -> tuple[Format, list[Path]]:
    """The set-up both paths (``load_files``, ``loaders.bulk.bulk_load``) do first: the format of ``source``
    (crediting ``owner``) and the files, each opened once so that a bad one fails before anything is written."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; one of {', '.join(SOURCES)}")
    fmt = SOURCES[source]
    if owner:
        if source != "works":
            raise ValueError("owner applies to plain publication lists (source 'works') only")
        fmt = Format(fmt.items, functools.partial(works.parse, owner=owner))
    files = [Path(p) for p in paths]
    for path in files:
        Source(path).close()
    return fmt, files


def each_file(files: Sequence[Path], rejects: str | Path | None, summary: LoadSummary,
              load_one: Callable[[Path, RejectLog], None]) -> None:
    """``load_one(path, log)`` for each file, ``log`` the rejects file (``rejects``, else
    ``<data dir>/rejects/FILE.rejects.jsonl`` per input, ``FILE-2.rejects.jsonl`` ... for a second input of
    the same name); the rejects files that received something are listed in ``summary``."""
    shared_log = RejectLog(Path(rejects)) if rejects is not None else None
    taken: set[Path] = set()
    try:
        for path in files:
            log = shared_log or RejectLog(_unused(default_path(path), taken))
            try:
                load_one(path, log)
            finally:
                log.close()
                if log is not shared_log and log.count:
                    summary.rejects_files.append(str(log.path))
        if shared_log is not None and shared_log.count:
            summary.rejects_files.append(str(shared_log.path))
    finally:
        if shared_log is not None:
            shared_log.close()


def _unused(path: Path, taken: set[Path]) -> Path:
    """``path``, or ``NAME-2.rejects.jsonl`` ... when this load already wrote to it (a log empties its file)."""
    candidate, n = path, 1
    while candidate in taken:
        n += 1
        candidate = path.with_name(path.name.removesuffix(".rejects.jsonl") + f"-{n}.rejects.jsonl")
    taken.add(candidate)
    return candidate


@dataclass
class _Budget:
    """How big a batch may grow: records and rows (``rows.work_cost``); the writer lowers ``rows`` after a split."""

    records: int
    rows: int | None  # None: no bound by rows (the bulk path, which has no transaction to fit)

    def halve(self) -> None:
        # Read by the parsing thread at its next batch: one int assignment, atomic under the GIL.
        if self.rows is not None:
            self.rows = max(1, self.rows // 2)


@dataclass(frozen=True)
class _Rejected:
    """A record that is no Work: where it was, what was wrong, its text (for the rejects file)."""

    line: int
    error: str
    raw: str | None


# A record read: its Work or why it was rejected, and the reader's byte position after it (the progress bar's).
Entry = tuple[Work | _Rejected, int]


def _entries(fmt: Format, reader: Source) -> Iterator[Entry]:
    """Every record of ``reader`` parsed, in file order."""
    for item in fmt.items(reader):
        if item.error is not None:
            yield _Rejected(item.line, item.error, _raw_text(item)), reader.position
            continue
        try:
            work = fmt.parse(item.value)
        except BadRecord as exc:
            yield _Rejected(item.line, str(exc), _raw_text(item)), reader.position
            continue
        yield work, reader.position


def _parsed_batches(fmt: Format, reader: Source, path: Path, log: RejectLog, summary: LoadSummary,
                    budget: _Budget, max_coauthor_authors: int) -> Iterator[tuple[list[Work], int]]:
    """The file's good records in batches, each with the reader's byte position after it; rejects logged.

    A batch closes at ``budget.records`` records or once its rows reach ``budget.rows``
    (a work costlier than the whole budget makes a batch of its own).
    """
    return _batches(_entries(fmt, reader), path, log, summary, budget, max_coauthor_authors)


def _batches(entries: Iterable[Entry], path: Path, log: RejectLog, summary: LoadSummary, budget: _Budget,
             max_coauthor_authors: int) -> Iterator[tuple[list[Work], int]]:
    """``_parsed_batches`` over records already parsed (``entries``: read now, or kept by ``plan_pass``)."""
    batch: list[Work] = []
    cost = 0
    position = 0
    for work, position in entries:
        summary.read += 1
        if isinstance(work, _Rejected):
            log.write(path, work.line, work.error, work.raw)
            summary.rejected += 1
            continue
        limit = budget.rows
        if limit is not None:
            work_rows = work_cost(work, max_coauthor_authors)
            if batch and cost + work_rows > limit:
                yield batch, position
                batch, cost = [], 0
            cost += work_rows
        batch.append(work)
        if len(batch) >= budget.records or (limit is not None and cost >= limit):
            yield batch, position
            batch, cost = [], 0
    if batch:
        yield batch, position


_DONE = object()


def _read_ahead(batches: Iterator[tuple[list[Work], int]]) -> Iterator[tuple[list[Work], int]]:
    """``batches``, produced one batch ahead on a thread.

    Parsing is Python; writing is mostly waiting for Neo4j (the driver releases the GIL
    on the socket), so the next batch is parsed while the server writes this one. The
    queue holds one batch: memory stays at about three batches whatever the file.
    An error of the reader reaches the caller; a caller that stops early stops the thread.
    """
    ready: queue.Queue[Any] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def put(value: Any) -> bool:
        while not stop.is_set():
            try:
                ready.put(value, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in batches:
                if not put(batch):
                    return
            put(_DONE)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which raises it
            put(exc)

    thread = threading.Thread(target=produce, name="loader-parse", daemon=True)
    thread.start()
    try:
        while True:
            value = ready.get()
            if value is _DONE:
                return
            if isinstance(value, BaseException):
                raise value
            yield value
    finally:
        stop.set()
        thread.join()


def plan_people(fmt: Format, files: Sequence[Path], db: Graph | None, chunk: int = DEFAULT_BATCH_SIZE) -> PeoplePlan:
    """The people of the whole load (a ``loaders.people.Plan``, or into an empty graph with the native library a
    ``loaders.columns.ColumnPlan``): a first pass over the files, nothing written.

    People decided batch by batch would depend on the batching (a person made by an
    early batch could never merge with the bylines of a later one); decided here,
    once, they are the same for any batch size. Bad records are skipped here and
    logged by the writing pass. ``db`` None: into an empty graph (the bulk loader).
    """
    return plan_pass(fmt, files, db, chunk)[0]


# Parsed records the plan pass keeps for the writing pass, at most (about 6 KB each in memory: 100,000 are
# some 600 MB). Beyond it a file is parsed again: spilling to disk was measured and does not pay (pickling
# 10,000 works and reading them back costs 1.9 s of CPU, parsing them again 2.3 s).
KEEP_RECORDS = 100_000


def plan_pass(fmt: Format, files: Sequence[Path], db: Graph | None, chunk: int = DEFAULT_BATCH_SIZE,
              keep: int = 0) -> tuple[PeoplePlan, list[list[Entry] | None]]:
    """``plan_people``, and each file's parsed records (``Entry``) while the load has no more than ``keep``
    records (None for a file past it, which the writing pass parses again).

    A graph without Papers and Authors has nothing to look up: the pass then goes as into an empty graph
    (no identifier look-ups, no known people), which is what lets the people be decided on every core.
    """
    if db is not None and graph_empty(db):
        db = None
    plan = person_plan(db is None)
    keys: KeyMap = {}
    kept: list[list[Entry] | None] = []
    held = 0
    for path in files:
        reader = Source(path)
        entries: list[Entry] | None = [] if held < keep else None
        try:
            works: list[Work] = []
            for entry in _entries(fmt, reader):
                if entries is not None:
                    entries.append(entry)
                    held += 1
                    if held > keep:
                        entries = None  # past the bound: this file is parsed again when written
                work = entry[0]
                if isinstance(work, _Rejected):
                    continue
                works.append(work)
                if len(works) >= chunk:
                    plan_add(db, plan, works, keys)
                    works = []
            if works:
                plan_add(db, plan, works, keys)
        finally:
            reader.close()
        kept.append(entries)
    plan_decide(db, plan)
    return plan, kept


def _load_file(db: Graph, fmt: Format, path: Path, log: RejectLog, summary: LoadSummary, bar: _Progress,
               budget: _Budget, max_coauthor_authors: int, plan: PeoplePlan, first: int,
               entries: list[Entry] | None = None) -> int:
    """Write the file's batches, their people from ``plan`` (the file's first work is the load's ``first``);
    the ordinal of the next file's first work. ``entries``: the file's records as the plan pass parsed them
    (else the file is read again)."""
    reader = Source(path)
    seen: set[str] = set()
    position = 0
    try:
        if entries is None:
            batches = _read_ahead(_parsed_batches(fmt, reader, path, log, summary, budget, max_coauthor_authors))
        else:
            batches = _batches(entries, path, log, summary, budget, max_coauthor_authors)
        for batch, now in batches:
            people = plan.apply(batch, first)
            first += len(batch)
            ids, new_papers, splits = write_split(db, people, max_coauthor_authors=max_coauthor_authors,
                                                  resolved=True)
            if splits:
                summary.splits += splits
                budget.halve()  # this server grants less than the budget assumed: ask less of it from now on
            summary.without_authors += sum(1 for work in batch if not work.authors)
            summary.count_batch(ids, new_papers, seen)
            bar.advance(now - position)
            position = now
    finally:
        reader.close()
    bar.advance(reader.size - position)
    return first
