"""The bulk path for a first load: records -> CSV files -> ``neo4j-admin database import full``.

``python -m loaders works --bulk FILE...`` (and the same for arxiv, openalex, paperscape).

The records are read, rejected and parsed exactly as by the transactional loader
(the same ``loaders.SOURCES`` readers and parsers, the same rejects file), cut into
the same batches, and each batch goes through the same ``loaders.rows`` functions
(``lookup_rows``, ``assign_ids``, ``build_rows``). Instead of ``UNWIND`` queries, the
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
lists that CSV cannot express set (``cypher/bulk/*``).

Only into an empty database of the local server: a database that holds nodes,
or ``NEO4J_URI`` naming another server, is refused (``BulkError``) with the
transactional loader as the way to go.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import pickle
import queue
import shutil
import tempfile
import time
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from graph.db import Graph, GraphConfig, run_autocommit
from graph.schema import ensure_schema
from graph.server import USER, LocalServer
from loaders import (
    DEFAULT_BATCH_SIZE,
    SOURCES,
    Format,
    LoadSummary,
    _Budget,
    _parsed_batches,
    _Progress,
    derive,
    plan_people,
)
from loaders import works as works_format
from loaders.derive import DEFAULT_MAX_COAUTHOR_AUTHORS
from loaders.metrics import derive_every_author, derive_metrics
from loaders.model import Authorship, Institution, Topic, Work
from loaders.people import Book, Plan, batch_blocks, resolve
from loaders.reader import Source
from loaders.rejects import RejectLog, default_path
from loaders.rows import BatchRows, KeyMap, Row, assign_ids, better_name, build_rows, lookup_rows

__all__ = ["BulkError", "BulkSummary", "bulk_load"]

# Years are packed into 12 bits next to a pair key: MIN_YEAR..MAX_YEAR fit, 4095 means "no year".
_YEAR_BASE, _NO_YEAR = 999, 4095
# Pair instances (one per joint paper) held in memory at once before they are spilled by range.
_PAIRS_IN_MEMORY = 4_000_000
# Characters tried, in order, as the importer's array delimiter: the first that no list element contains.
_DELIMITERS = ("\x1f", "\x1e", "\x1d", "\x1c", "\ue000", "\ue001")
_KINDS = ("arxiv_id", "doi", "openalex_id")


class BulkError(Exception):
    """The bulk path cannot run here (a database that is not empty, an external server ...)."""


@dataclass
class BulkSummary(LoadSummary):
    """A LoadSummary (same counts, same line) plus what the bulk path wrote and how long each phase took."""

    nodes: int = 0
    relationships: int = 0
    csv_bytes: int = 0
    phases: dict[str, float] = field(default_factory=dict)

    def line(self) -> str:
        text = super().line()
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.phases.items())
        return (f"{text}; bulk import: {self.nodes:,} nodes, {self.relationships:,} relationships "
                f"from {self.csv_bytes / 1e6:,.0f} MB of CSV ({phases})")


# -- growable numeric columns --------------------------------------------------------------------------------
_NUMPY_TYPES = {"B": np.uint8, "I": np.uint32, "h": np.int16, "i": np.int32, "q": np.int64}


class _Column:
    """One number per paper, appended as papers are numbered (array.array: cheap per-record access)."""

    def __init__(self, typecode: str, fill: int) -> None:
        self.fill = fill
        self.data = array(typecode)

    def append(self) -> None:
        self.data.append(self.fill)

    def view(self, n: int) -> np.ndarray:
        return np.frombuffer(self.data, dtype=_NUMPY_TYPES[self.data.typecode])[:n] if n else \
            np.zeros(0, dtype=_NUMPY_TYPES[self.data.typecode])


# -- the in-memory picture of the graph, batch by batch ------------------------------------------------------
class _Graph:
    """What the transactional loader's queries would leave in Neo4j, kept as indexes, arrays and a spill file."""

    def __init__(self, spill: IO[bytes]) -> None:
        self.spill = spill
        # Papers: id <-> number; per identifier kind, value -> number of the Paper that a look-up finds
        # (load/resolve_papers returns the smallest id of the Papers carrying that value).
        self.paper_ids: list[str] = []
        self.paper_no: dict[str, int] = {}
        self.by_key: dict[str, dict[str, int]] = {kind: {} for kind in _KINDS}
        self.key_flags = _Column("B", 0)       # bit i: the Paper carries _KINDS[i] already
        self.records = _Column("I", 0)         # paper rows written to the Paper
        self.year = _Column("h", -1)           # -1: no year
        self.author_count = _Column("i", 0)
        self.source_cited = _Column("q", -1)   # -1: no count from the source
        self.columns = (self.key_flags, self.records, self.year, self.author_count, self.source_cited)
        self.stubs: dict[int, str] = {}             # Papers created by a CITES (arxiv_id), filled in later or not
        self.categories: set[str] = set()
        # Authors, institutions, topics.
        self.author_ids: list[str] = []
        self.author_no: dict[str, int] = {}
        self.author_name: list[str] = []
        self.author_variants: list[list[str]] = []
        self.author_orcid: list[str | None] = []
        self.author_block: list[str | None] = []
        # The people known so far, as load/identity_people would read them from the graph.
        self.book = Book()
        self.plan: Plan | None = None
        self.first = 0  # ordinal of the next batch's first work in the load
        # (source, byline) of each AUTHORED row, interned: authored["label"] holds the number.
        self.labels: list[tuple[str, str]] = []
        self.label_no: dict[tuple[str, str], int] = {}
        self.inst_ids: list[str] = []
        self.inst_no: dict[str, int] = {}
        self.inst_props: list[list[str | None]] = []
        self.topic_ids: list[str] = []
        self.topic_no: dict[str, int] = {}
        self.topic_props: list[tuple[str, str, str]] = []
        self.part_of: set[tuple[int, int]] = set()
        # Institution lists of authorships, interned: number -> tuple of institution numbers (0 is ()).
        self.inst_sets: list[tuple[int, ...]] = [()]
        self.inst_set_no: dict[tuple[int, ...], int] = {(): 0}
        # Edges, in write order.
        self.authored = {name: array("i") for name in ("author", "paper", "position", "insts", "label")}
        self.about: dict[str, array[Any]] = {"paper": array("i"), "topic": array("i"), "score": array("d")}
        self.cites = {"source": array("i"), "target": array("i")}
        self.pending: dict[str, dict[int, None]] = {}

    # -- identity ----------------------------------------------------------------------------------------
    def found(self, works: Sequence[Work]) -> KeyMap:
        """What load/resolve_papers would return for the batch: (kind, value) -> id of a Paper carrying it."""
        found: KeyMap = {}
        for row in lookup_rows(works):
            number = self.by_key[row["kind"]].get(row["value"])
            if number is not None:
                found[(row["kind"], row["value"])] = self.paper_ids[number]
        return found

    def _new_paper(self, paper_id: str) -> int:
        number = len(self.paper_ids)
        self.paper_ids.append(paper_id)
        self.paper_no[paper_id] = number
        for column in self.columns:
            column.append()
        return number

    def _carry(self, number: int, kind: int, value: str | None) -> None:
        """The Paper gets identifier ``value`` of kind ``kind`` unless it has one (first one kept)."""
        if value is None or self.key_flags.data[number] & (1 << kind):
            return
        self.key_flags.data[number] |= 1 << kind
        index = self.by_key[_KINDS[kind]]
        other = index.get(value)
        if other is None or self.paper_ids[number] < self.paper_ids[other]:
            index[value] = number

    # -- one batch, in the order of loaders.writer._STEPS -----------------------------------------------------
    def apply(self, works: Sequence[Work]) -> tuple[list[str], int]:
        """Apply one batch; the Paper id of each work and how many new Papers (not stubs) it created."""
        found = self.found(works)
        ids, batch = assign_ids(works, found)
        if self.plan is not None:  # the load's people, decided before the first batch (loaders.plan_people)
            people = self.plan.apply(works, self.first)
            self.first += len(works)
        else:
            people = resolve(works, ids, self.book.people(batch_blocks(works)))
            self.book.add(people, ids)
        rows: BatchRows = build_rows(people, ids, found, batch)
        new_papers = self._papers(rows.papers)
        self._authors(rows.authors)
        self._institutions(rows.institutions)
        self._topics(rows.topics, rows.part_of)
        self._authored(rows.authored)
        for row in rows.about:
            self.about["paper"].append(self.paper_no[row["paper"]])
            self.about["topic"].append(self.topic_no[row["topic"]])
            self.about["score"].append(float(row["score"]))
        self._cites(rows.cites, rows.pending, rows.openalex_papers)
        return ids, new_papers

    def _papers(self, rows: list[Row]) -> int:
        created = 0
        spilled = []
        flags, records, years = self.key_flags.data, self.records.data, self.year.data
        counts, cited = self.author_count.data, self.source_cited.data
        for row in rows:
            number = self.paper_no.get(row["id"])
            if number is None:
                number = self._new_paper(row["id"])
                created += 1
            if flags[number] != 7:
                for kind, name in enumerate(_KINDS):
                    self._carry(number, kind, row[name])
            records[number] += 1
            if row["year"] is not None:
                years[number] = row["year"]
            if row["author_count"] > counts[number]:
                counts[number] = row["author_count"]
            if row["source_cited_by_count"] is not None and row["source_cited_by_count"] > cited[number]:
                cited[number] = row["source_cited_by_count"]
            if row["categories"]:
                self.categories.update(row["categories"])
            spilled.append((number, row))
        pickle.dump(spilled, self.spill, protocol=pickle.HIGHEST_PROTOCOL)
        return created

    def _authors(self, rows: list[Row]) -> None:
        for row in rows:
            number = self.author_no.get(row["id"])
            if number is None:
                number = self.author_no[row["id"]] = len(self.author_ids)
                self.author_ids.append(row["id"])
                self.author_name.append(row["name"])
                self.author_variants.append(list(row["variants"]))
                self.author_orcid.append(row["orcid"])
                self.author_block.append(row["block"])
                continue
            self.author_name[number] = better_name(self.author_name[number], row["name"])
            known = self.author_variants[number]
            known.extend([v for v in row["variants"] if v not in known])
            self.author_orcid[number] = self.author_orcid[number] or row["orcid"]
            self.author_block[number] = self.author_block[number] or row["block"]

    def _institutions(self, rows: list[Row]) -> None:
        for row in rows:
            values = [row["name"], row["ror"], row["country"], row["type"]]
            number = self.inst_no.get(row["id"])
            if number is None:
                self.inst_no[row["id"]] = len(self.inst_ids)
                self.inst_ids.append(row["id"])
                self.inst_props.append(values)
            else:  # load/institutions: a given value replaces, null keeps
                props = self.inst_props[number]
                for i, value in enumerate(values):
                    if value is not None:
                        props[i] = value

    def _topics(self, rows: list[Row], part_of: list[Row]) -> None:
        for row in rows:
            props = (row["name"], row["scheme"], row["level"])
            number = self.topic_no.get(row["id"])
            if number is None:
                self.topic_no[row["id"]] = len(self.topic_ids)
                self.topic_ids.append(row["id"])
                self.topic_props.append(props)
            else:
                self.topic_props[number] = props
        for row in part_of:
            self.part_of.add((self.topic_no[row["child"]], self.topic_no[row["parent"]]))

    def inst_set(self, institutions: tuple[int, ...]) -> int:
        number = self.inst_set_no.get(institutions)
        if number is None:
            number = self.inst_set_no[institutions] = len(self.inst_sets)
            self.inst_sets.append(institutions)
        return number

    def _authored(self, rows: list[Row]) -> None:
        out = self.authored
        for row in rows:
            out["author"].append(self.author_no[row["author"]])
            out["paper"].append(self.paper_no[row["paper"]])
            out["position"].append(row["position"])
            out["insts"].append(self.inst_set(tuple(self.inst_no[i] for i in row["institutions"])))
            label = (row["source"], row["byline"])
            number = self.label_no.get(label)
            if number is None:
                number = self.label_no[label] = len(self.labels)
                self.labels.append(label)
            out["label"].append(number)

    def _cites(self, cites: list[Row], pending: list[Row], openalex_papers: list[Row]) -> None:
        for row in cites:
            target = self.paper_no.get(row["target"])
            if target is None:  # load/cites: a stub Paper with the cited arXiv id
                target = self._new_paper(row["target"])
                self.stubs[target] = row["arxiv_id"]
                self._carry(target, 0, row["arxiv_id"])
            self.cites["source"].append(self.paper_no[row["source"]])
            self.cites["target"].append(target)
        for row in pending:
            self.pending.setdefault(row["work"], {})[self.paper_no[row["source"]]] = None
        for row in openalex_papers:  # load/pending_resolve
            sources = self.pending.pop(row["openalex_id"], None)
            if sources:
                target = self.paper_no[row["id"]]
                for source in sources:
                    if source != target:
                        self.cites["source"].append(source)
                        self.cites["target"].append(target)


# -- the paper rows, folded as load/papers merges them ----------------------------------------------------------
def merge_paper(current: dict[str, Any], row: Row) -> dict[str, Any]:
    """The Paper's properties after ``row`` is written onto ``current`` (load/papers.cypher's SET, in Python)."""
    p = current
    old_categories = p.get("categories") or []
    old_sources = p.get("sources") or []
    if row["source_cited_by_count"] is None:
        cited = p.get("source_cited_by_count")
    elif p.get("source_cited_by_count") is None or row["source_cited_by_count"] > p["source_cited_by_count"]:
        cited = row["source_cited_by_count"]
    else:
        cited = p["source_cited_by_count"]

    def later(name: str) -> Any:
        return row[name] if row[name] is not None else p.get(name)

    def earlier(name: str) -> Any:
        return p.get(name) if p.get(name) is not None else row[name]

    return {
        "title": earlier("title") if row["source"] == "paperscape" else later("title"),
        "abstract": later("abstract"), "year": later("year"), "date": later("date"),
        "doi": earlier("doi"), "arxiv_id": earlier("arxiv_id"), "openalex_id": earlier("openalex_id"),
        "venue": later("venue"), "type": later("type"), "code_url": later("code_url"),
        "has_code": bool(p.get("has_code")) or bool(row["has_code"]) or row["code_url"] is not None,
        "source_cited_by_count": cited,
        "categories": old_categories + [c for c in row["categories"] if c not in old_categories],
        "author_count": row["author_count"] if p.get("author_count") is None or row["author_count"] > p[
            "author_count"] else p["author_count"],
        "authors_complete": bool(p.get("authors_complete")) or row["authors_complete"],
        "sources": old_sources + ([] if row["source"] in old_sources else [row["source"]]),
    }


# -- CSV ----------------------------------------------------------------------------------------------------
def _text(value: str | None) -> str:
    """One CSV field: quoted always (so "" stays an empty string), empty when null."""
    if value is None:
        return ""
    return '"' + value.replace('"', '""') + '"'


def _number(value: int | float | None) -> str:
    return "" if value is None else repr(value)


def _flag(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


class _Lists:
    """Arrays as CSV fields, joined by a delimiter no element contains (an empty list: null, set later)."""

    def __init__(self, delimiter: str) -> None:
        self.delimiter = delimiter

    def __call__(self, values: Sequence[str] | None) -> str:
        if not values:
            return ""
        return _text(self.delimiter.join(values))


def _digits(values: np.ndarray) -> int:
    return max(1, len(str(int(values.max())))) if len(values) else 1


def write_int_rows(out: IO[bytes], columns: Sequence[np.ndarray], *, chunk: int = 1 << 20) -> None:
    """Rows of non-negative integers as CSV, fast: fixed-width zero-padded digits (the importer reads 007 as 7)."""
    if not columns or len(columns[0]) == 0:
        return
    widths = [_digits(c) for c in columns]
    line = sum(widths) + len(columns)
    total = len(columns[0])
    for start in range(0, total, chunk):
        stop = min(total, start + chunk)
        buf = np.empty((stop - start, line), dtype=np.uint8)
        offset = 0
        for column, width in zip(columns, widths, strict=True):
            value = column[start:stop].astype(np.int64)
            for digit in range(width - 1, -1, -1):
                buf[:, offset + digit] = value % 10 + 48
                value //= 10
            offset += width
            buf[:, offset] = 44  # ,
            offset += 1
        buf[:, line - 1] = 10  # the last comma becomes the newline
        out.write(buf.tobytes())


class _Files:
    """The import's CSV files: one header file and one data file per group, with the importer's arguments."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.nodes: list[tuple[str, list[Path]]] = []
        self.relationships: list[tuple[str, list[Path]]] = []

    def open(self, kind: str, name: str, header: str, *, node: bool) -> IO[bytes]:
        stem = f"{len(self.nodes) + len(self.relationships):02d}-{name}"
        head = self.folder / f"{stem}-header.csv"
        data = self.folder / f"{stem}.csv"
        head.write_text(header + "\n", encoding="utf-8")
        (self.nodes if node else self.relationships).append((kind, [head, data]))
        return open(data, "wb")  # noqa: SIM115 - the caller closes it

    @property
    def size(self) -> int:
        return sum(f.stat().st_size for _, files in self.nodes + self.relationships for f in files)


# -- grouped reductions ----------------------------------------------------------------------------------------
def _year_codes(years: np.ndarray) -> np.ndarray:
    return np.where(years < 0, _NO_YEAR, years.astype(np.int64) - _YEAR_BASE).astype(np.int64)


def _reduce(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sorted (key << 12 | year code) -> per key: key, count, first year, last year (-1: none)."""
    packed.sort()
    keys = packed >> 12
    codes = packed & 0xFFF
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    ends = np.append(starts[1:], len(packed))
    counts = ends - starts
    missing = np.add.reduceat((codes == _NO_YEAR).astype(np.int64), starts) if len(starts) else starts
    dated = counts > missing
    first = np.where(dated, codes[starts] + _YEAR_BASE, -1)
    last = np.where(dated, codes[np.maximum(ends - 1 - missing, starts)] + _YEAR_BASE, -1)
    return keys[starts], counts, first, last


def _write_spans(files: _Files, kind: str, name: str, start_group: str, end_group: str,
                 parts: Iterable[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]) -> int:
    """(start, end, works, first, last) rows, dated ones and undated ones (no year properties) apart."""
    dated = files.open(kind, name, f":START_ID({start_group}),:END_ID({end_group}),works:long,"
                       "first_year:long,last_year:long", node=False)
    undated = files.open(kind, f"{name}-undated", f":START_ID({start_group}),:END_ID({end_group}),works:long",
                         node=False)
    total = 0
    with dated, undated:
        for start, end, works, first, last in parts:
            has = first >= 0
            write_int_rows(dated, [start[has], end[has], works[has], first[has], last[has]])
            write_int_rows(undated, [start[~has], end[~has], works[~has]])
            total += len(start)
    return total


# -- the load -------------------------------------------------------------------------------------------------------
@dataclass
class _Pass:
    graph: _Graph
    summary: BulkSummary
    batch_size: int


def _read_file(fmt: Format, path: Path, log: RejectLog, state: _Pass, bar: _Progress) -> None:
    """One file, read, rejected and cut into batches by loaders._parsed_batches (as the transactional
    loader reads it) in a child process, so parsing runs on the second core; each batch goes to the
    in-memory graph, and is counted as written or merged as there."""
    reader = Source(path)
    seen: set[str] = set()
    position = 0
    summary = state.summary
    try:
        for batch, now in _parsed_in_child(fmt, reader, path, log, summary, state.batch_size):
            ids, new_papers = state.graph.apply(batch)
            summary.without_authors += sum(1 for work in batch if not work.authors)
            summary.count_batch(ids, new_papers, seen)
            bar.advance(now - position)
            position = now
    finally:
        reader.close()
    bar.advance(reader.size - position)


# -- parsing in a child process ----------------------------------------------------------------------------------
# Works cross the pipe as plain tuples (pickling dataclasses cost more than parsing saved); the parent
# rebuilds them exactly, sharing one object per distinct institution and topic as the parsers do.
_CHILD_QUEUE = 4   # batches parsed ahead


class _Collected:
    """Stands in for the RejectLog and the summary in the child: what the parent must write and count."""

    def __init__(self) -> None:
        self.rejects: list[tuple[Path, int, str, str | None]] = []
        self.read = 0
        self.rejected = 0

    def write(self, file: Path, line: int, reason: str, record: str | None = None) -> None:
        self.rejects.append((file, line, reason, record))

    def take(self) -> tuple[list[tuple[Path, int, str, str | None]], int, int]:
        out = (self.rejects, self.read, self.rejected)
        self.rejects, self.read, self.rejected = [], 0, 0
        return out


def _topic_tuple(topic: Topic | None) -> tuple[Any, ...] | None:
    if topic is None:
        return None
    return (topic.id, topic.name, topic.scheme, topic.level, _topic_tuple(topic.parent))


def _encode(works: list[Work]) -> list[tuple[Any, ...]]:
    return [(w.source, w.title, w.arxiv_id, w.doi, w.openalex_id, w.abstract, w.year, w.date, w.venue, w.type,
             w.code_url, w.has_code, w.source_cited_by_count, w.categories,
             [(a.id, a.name, a.raw_name, a.orcid,
               tuple((i.id, i.name, i.ror, i.country, i.type) for i in a.institutions)) for a in w.authors],
             w.author_count, w.authors_complete, [(_topic_tuple(t), score) for t, score in w.topics],
             w.cites_arxiv, w.cites_openalex) for w in works]


class _Decoder:
    """Works back from ``_encode``'s tuples."""

    def __init__(self) -> None:
        self.institutions: dict[tuple[Any, ...], Institution] = {}
        self.inst_tuples: dict[tuple[Any, ...], tuple[Institution, ...]] = {(): ()}
        self.topics: dict[tuple[Any, ...], Topic] = {}

    def _institution(self, value: tuple[Any, ...]) -> Institution:
        inst = self.institutions.get(value)
        if inst is None:
            inst = self.institutions[value] = Institution(*value)
        return inst

    def _institutions(self, value: tuple[Any, ...]) -> tuple[Institution, ...]:
        found = self.inst_tuples.get(value)
        if found is None:
            found = self.inst_tuples[value] = tuple(self._institution(x) for x in value)
        return found

    def _topic(self, value: tuple[Any, ...]) -> Topic:
        topic = self.topics.get(value)
        if topic is None:
            parent = self._topic(value[4]) if value[4] is not None else None
            topic = self.topics[value] = Topic(value[0], value[1], value[2], value[3], parent)
        return topic

    def works(self, rows: list[tuple[Any, ...]]) -> list[Work]:
        out = []
        for (source, title, arxiv_id, doi, openalex_id, abstract, year, date, venue, kind, code_url, has_code,
             cited, categories, authors, author_count, complete, topics, cites_arxiv, cites_openalex) in rows:
            out.append(Work(
                source, title, arxiv_id, doi, openalex_id, abstract, year, date, venue, kind, code_url, has_code,
                cited, categories,
                [Authorship(i, name, raw, orcid, self._institutions(insts)) for i, name, raw, orcid, insts in authors],
                author_count, complete, [(self._topic(t), score) for t, score in topics], cites_arxiv,
                cites_openalex))
        return out


def _child(fmt: Format, reader: Source, path: Path, batch_size: int, out: Any, parent: int) -> None:
    """The child's whole life: parse the file, put (works, rejects, read, rejected, position) per batch, then
    ("done", rejects, read, rejected) or ("error", exception). Gives up when the parent is gone."""
    def put(message: tuple[Any, ...]) -> None:
        # Pickled here, not by the queue's feeder thread: a message that does not pickle fails where it is caught.
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        while True:
            try:
                out.put(data, timeout=1.0)
                return
            except queue.Full:
                if os.getppid() != parent:
                    os._exit(1)

    collected = _Collected()
    try:
        for batch, now in _parsed_batches(fmt, reader, path, collected, collected,  # type: ignore[arg-type]
                                          _Budget(batch_size, None), 0):
            put(("batch", _encode(batch), *collected.take(), now))
        put(("done", *collected.take()))
    except BaseException as exc:  # noqa: BLE001 - everything goes to the parent, which raises it
        try:
            put(("error", exc))
        except Exception:  # noqa: BLE001 - an exception that does not pickle: its text, as the same kind
            put(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


def _parsed_in_child(fmt: Format, reader: Source, path: Path, log: RejectLog, summary: BulkSummary,
                     batch_size: int) -> Iterator[tuple[list[Work], int]]:
    """``_parsed_batches`` run in a forked child: the same batches, rejects (written here, in order) and counts."""
    context = multiprocessing.get_context("fork")
    channel = context.Queue(maxsize=_CHILD_QUEUE)
    child = context.Process(target=_child, args=(fmt, reader, path, batch_size, channel, os.getpid()),
                            name="peergraph-parse", daemon=True)
    child.start()
    decoder = _Decoder()
    try:
        while True:
            try:
                message = pickle.loads(channel.get(timeout=5.0))
            except queue.Empty:
                if not child.is_alive():
                    raise BulkError(f"the parsing process for {path} stopped (exit code {child.exitcode})"
                                    ) from None
                continue
            if message[0] == "error":
                raise message[1]
            rejects, read, rejected = message[-4:-1] if message[0] == "batch" else message[1:4]
            for reject in rejects:
                log.write(*reject)
            summary.read += read
            summary.rejected += rejected
            if message[0] == "done":
                return
            yield decoder.works(message[1]), message[-1]
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        channel.close()


def _spilled(spill: IO[bytes]) -> Iterator[list[tuple[int, Row]]]:
    spill.seek(0)
    while True:
        try:
            yield pickle.load(spill)
        except EOFError:
            return


class _Writer:
    """The derived data and every CSV file, from the in-memory graph after the pass."""

    def __init__(self, g: _Graph, files: _Files, max_authors: int) -> None:
        self.g = g
        self.files = files
        self.max_authors = max_authors
        self.n_papers = len(g.paper_ids)
        self.n_authors = len(g.author_ids)
        self.nodes = 0
        self.relationships = 0
        elements = (set(g.categories) | set(g.inst_ids) | {v for vs in g.author_variants for v in vs}
                    | set(g.author_ids))   # Author.top_coauthors lists ids
        delimiter = next((d for d in _DELIMITERS if not any(d in e for e in elements)), None)
        if delimiter is None:
            raise BulkError("every candidate array delimiter occurs in the data; use the transactional loader")
        self.delimiter = delimiter
        self.lists = _Lists(delimiter)
        # Authors are numbered for the importer by their id's sort order: COAUTHOR goes from the smaller id,
        # smaller as Cypher's < says (UTF-16 code units; the same as Python's order for ASCII ids, which
        # nearly all are: see loaders.rows.cypher_order).
        ids = g.author_ids
        key = ids.__getitem__ if all(i.isascii() for i in ids) else (lambda i: ids[i].encode("utf-16-be"))
        order = sorted(range(self.n_authors), key=key)
        self.by_rank = np.asarray(order, dtype=np.int64)
        self.rank = np.empty(self.n_authors, dtype=np.int64)
        self.rank[self.by_rank] = np.arange(self.n_authors, dtype=np.int64)
        self.top: dict[int, tuple[str, str]] = {}   # author rank -> (top_coauthors, top_coauthor_stats) fields

    # -- edges --------------------------------------------------------------------------------------------------
    def authored(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """AUTHORED as (author, paper, position, institution set, (source, byline) label): one per pair, as
        load/authored merges them (the first record's source and byline stay)."""
        g = self.g
        author = np.frombuffer(g.authored["author"], dtype=np.int32).astype(np.int64)
        paper = np.frombuffer(g.authored["paper"], dtype=np.int32).astype(np.int64)
        position = np.frombuffer(g.authored["position"], dtype=np.int32).astype(np.int64)
        insts = np.frombuffer(g.authored["insts"], dtype=np.int32).astype(np.int64)
        label = np.frombuffer(g.authored["label"], dtype=np.int32).astype(np.int64)
        repeated = np.flatnonzero(g.records.view(self.n_papers)[paper] > 1)
        if len(repeated):  # papers written by several records: later position wins, institutions unioned
            keep = np.ones(len(author), dtype=bool)
            first: dict[tuple[int, int], int] = {}
            for i in repeated.tolist():
                key = (int(author[i]), int(paper[i]))
                j = first.get(key)
                if j is None:
                    first[key] = i
                    continue
                keep[i] = False
                position[j] = position[i]
                old = g.inst_sets[int(insts[j])]
                insts[j] = g.inst_set(old + tuple(x for x in g.inst_sets[int(insts[i])] if x not in old))
            author, paper, position, insts, label = (author[keep], paper[keep], position[keep], insts[keep],
                                                     label[keep])
        return author, paper, position, insts, label

    def cites(self) -> tuple[np.ndarray, np.ndarray]:
        source = np.frombuffer(self.g.cites["source"], dtype=np.int32).astype(np.int64)
        target = np.frombuffer(self.g.cites["target"], dtype=np.int32).astype(np.int64)
        pairs = np.unique(source * self.n_papers + target) if len(source) else np.zeros(0, dtype=np.int64)
        return pairs // max(1, self.n_papers), pairs % max(1, self.n_papers)

    def write(self) -> None:
        g = self.g
        author, paper, position, insts, label = self.authored()
        source, target = self.cites()
        incoming = np.bincount(target, minlength=self.n_papers)
        cited = np.maximum(g.source_cited.view(self.n_papers), 0)
        cited = np.maximum(cited, incoming).astype(np.int64)
        self._papers(cited)
        self._coauthor(author, paper)   # before the authors: it ranks the hubs' top co-authors
        self._authors(author, paper, cited)
        self._small_nodes()
        self._authored_edges(author, paper, position, insts, label)
        self._plain_edges(source, target)
        self._affiliated(author, paper, insts)

    # -- nodes ---------------------------------------------------------------------------------------------------
    def _papers(self, cited: np.ndarray) -> None:
        g, lists = self.g, self.lists
        header = (":ID(Paper),id,title,abstract,year:long,date,doi,arxiv_id,openalex_id,venue,type,code_url,"
                  "has_code:boolean,source_cited_by_count:long,categories:string[],author_count:long,"
                  "authors_complete:boolean,sources:string[],cited_by_count:long")
        records = g.records.view(self.n_papers)
        waiting: dict[int, tuple[int, dict[str, Any]]] = {}
        written = np.zeros(self.n_papers, dtype=bool)
        with self.files.open("Paper", "papers", header, node=True) as out:
            def emit(number: int, p: dict[str, Any]) -> None:
                out.write(",".join((
                    str(number), _text(g.paper_ids[number]), _text(p.get("title")), _text(p.get("abstract")),
                    _number(p.get("year")), _text(p.get("date")), _text(p.get("doi")), _text(p.get("arxiv_id")),
                    _text(p.get("openalex_id")), _text(p.get("venue")), _text(p.get("type")),
                    _text(p.get("code_url")), _flag(p.get("has_code")), _number(p.get("source_cited_by_count")),
                    lists(p.get("categories")), _number(p.get("author_count")), _flag(p.get("authors_complete")),
                    lists(p.get("sources")), str(int(cited[number])),
                )).encode("utf-8") + b"\n")
                written[number] = True

            for spilled in _spilled(g.spill):
                for number, row in spilled:
                    start = {"arxiv_id": g.stubs[number], "sources": [], "categories": []} \
                        if number in g.stubs else {}
                    if records[number] == 1:
                        emit(number, merge_paper(start, row))
                        continue
                    seen, current = waiting.get(number, (0, start))
                    current = merge_paper(current, row)
                    if seen + 1 == records[number]:
                        waiting.pop(number, None)
                        emit(number, current)
                    else:
                        waiting[number] = (seen + 1, current)
            for number, arxiv_id in g.stubs.items():
                if not written[number]:  # never loaded: id, arxiv_id, empty lists, its citations
                    emit(number, {"arxiv_id": arxiv_id})
        self.nodes += self.n_papers

    def _authors(self, author: np.ndarray, paper: np.ndarray, cited: np.ndarray) -> None:
        g, lists = self.g, self.lists
        works = np.bincount(author, minlength=self.n_authors)
        counts = cited[paper]
        total = np.bincount(author, weights=counts, minlength=self.n_authors)
        # h-index: the author's papers by citations, descending; h = how many have count >= their rank.
        order = np.lexsort((-counts, author))
        by_author = author[order]
        starts = np.searchsorted(by_author, np.arange(self.n_authors))
        rank_in = np.arange(len(order)) - starts[by_author] + 1
        h = np.bincount(by_author, weights=(counts[order] >= rank_in), minlength=self.n_authors)
        header = (":ID(Author),id,name,name_variants:string[],orcid,block,works_count:long,cited_by_count:long,"
                  "h_index:long,top_coauthors:string[],top_coauthor_stats:long[]")
        none = ("", "")
        with self.files.open("Author", "authors", header, node=True) as out:
            lines = []
            for number in range(self.n_authors):
                rank = int(self.rank[number])
                lines.append(",".join((
                    str(rank), _text(g.author_ids[number]), _text(g.author_name[number]),
                    lists(g.author_variants[number]), _text(g.author_orcid[number]), _text(g.author_block[number]),
                    str(int(works[number])),
                    str(int(total[number])), str(int(h[number])), *self.top.get(rank, none))))
                if len(lines) >= 50_000:
                    out.write(("\n".join(lines) + "\n").encode("utf-8"))
                    lines.clear()
            if lines:
                out.write(("\n".join(lines) + "\n").encode("utf-8"))
        self.nodes += self.n_authors

    def _small_nodes(self) -> None:
        g = self.g
        with self.files.open("Topic", "topics", ":ID(Topic),id,name,scheme,level", node=True) as out:
            for number, (topic_id, props) in enumerate(zip(g.topic_ids, g.topic_props, strict=True)):
                out.write(",".join([str(number), _text(topic_id), *map(_text, props)]).encode("utf-8") + b"\n")
        with self.files.open("Institution", "institutions", ":ID(Institution),id,name,ror,country,type",
                             node=True) as out:
            for number, (inst_id, inst_props) in enumerate(zip(g.inst_ids, g.inst_props, strict=True)):
                out.write(",".join([str(number), _text(inst_id), *map(_text, inst_props)]).encode("utf-8") + b"\n")
        with self.files.open("PendingCitation", "pending", ":ID(PendingCitation),id", node=True) as out:
            for number, work in enumerate(g.pending):
                out.write(f"{number},{_text(work)}\n".encode())
        self.nodes += len(g.topic_ids) + len(g.inst_ids) + len(g.pending)

    # -- relationships ---------------------------------------------------------------------------------------------
    def _authored_edges(self, author: np.ndarray, paper: np.ndarray, position: np.ndarray,
                        insts: np.ndarray, label: np.ndarray) -> None:
        g, lists = self.g, self.lists
        start = self.rank[author]
        labels = [f"{_text(source)},{_text(byline)}" for source, byline in g.labels]
        bare = insts == 0  # no institutions: the empty list is set after the import (bulk/empty_lists)
        with self.files.open("AUTHORED", "authored", ":START_ID(Author),:END_ID(Paper),position:long,source,byline",
                             node=False) as out:
            chosen = np.flatnonzero(bare)
            for offset in range(0, len(chosen), 100_000):
                part = chosen[offset:offset + 100_000]
                out.write("".join(f"{a},{p},{q},{labels[t]}\n" for a, p, q, t in zip(
                    start[part].tolist(), paper[part].tolist(), position[part].tolist(),
                    label[part].tolist(), strict=True)).encode("utf-8"))
        encoded = [lists([g.inst_ids[i] for i in s]) for s in g.inst_sets]
        header = ":START_ID(Author),:END_ID(Paper),position:long,institutions:string[],source,byline"
        with self.files.open("AUTHORED", "authored-institutions", header, node=False) as out:
            chosen = np.flatnonzero(~bare)
            for offset in range(0, len(chosen), 100_000):
                part = chosen[offset:offset + 100_000]
                out.write("".join(f"{a},{p},{q},{encoded[s]},{labels[t]}\n" for a, p, q, s, t in zip(
                    start[part].tolist(), paper[part].tolist(), position[part].tolist(),
                    insts[part].tolist(), label[part].tolist(), strict=True)).encode("utf-8"))
        self.relationships += len(author)

    def _plain_edges(self, source: np.ndarray, target: np.ndarray) -> None:
        g = self.g
        with self.files.open("CITES", "cites", ":START_ID(Paper),:END_ID(Paper)", node=False) as out:
            write_int_rows(out, [source, target])
        about_paper = np.frombuffer(g.about["paper"], dtype=np.int32).astype(np.int64)
        about_topic = np.frombuffer(g.about["topic"], dtype=np.int32).astype(np.int64)
        about_score = np.frombuffer(g.about["score"], dtype=np.float64)
        # load/about: one per (paper, topic), the highest score any record gave.
        key = about_paper * max(1, len(g.topic_ids)) + about_topic
        order = np.lexsort((about_score, key))
        key, about_score = key[order], about_score[order]
        last = np.flatnonzero(np.append(key[1:] != key[:-1], True)) if len(key) else key
        key, about_score = key[last], about_score[last]
        about_paper, about_topic = key // max(1, len(g.topic_ids)), key % max(1, len(g.topic_ids))
        with self.files.open("ABOUT", "about", ":START_ID(Paper),:END_ID(Topic),score:double", node=False) as out:
            for offset in range(0, len(key), 100_000):
                stop = offset + 100_000
                out.write("".join(f"{p},{t},{s!r}\n" for p, t, s in zip(
                    about_paper[offset:stop].tolist(), about_topic[offset:stop].tolist(),
                    about_score[offset:stop].tolist(), strict=True)).encode())
        with self.files.open("PART_OF", "part-of", ":START_ID(Topic),:END_ID(Topic)", node=False) as out:
            out.write("".join(f"{c},{p}\n" for c, p in sorted(g.part_of)).encode())
        with self.files.open("CITES_PENDING", "cites-pending", ":START_ID(Paper),:END_ID(PendingCitation)",
                             node=False) as out:
            for number, sources in enumerate(g.pending.values()):
                out.write("".join(f"{s},{number}\n" for s in sources).encode())
        self.relationships += (len(source) + len(key) + len(g.part_of)
                               + sum(len(s) for s in g.pending.values()))

    def _coauthor(self, author: np.ndarray, paper: np.ndarray) -> None:
        """COAUTHOR as loaders.derive computes it: per pair, the joint papers with <= max authors, their years."""
        n = max(1, self.n_authors)
        if n * n >= (1 << 51):
            raise BulkError(f"{self.n_authors:,} authors are too many for the bulk path's pair keys")
        small = self.g.author_count.view(self.n_papers)[paper] <= self.max_authors
        rank, paper = self.rank[author[small]], paper[small]
        order = np.lexsort((rank, paper))
        rank, paper = rank[order], paper[order]
        starts = np.flatnonzero(np.concatenate(([True], paper[1:] != paper[:-1]))) if len(paper) else paper
        sizes = np.diff(np.append(starts, len(paper)))
        codes = _year_codes(self.g.year.view(self.n_papers)[paper[starts]]) if len(starts) else starts
        total = int((sizes * (sizes - 1) // 2).sum())
        parts = max(1, -(-total // _PAIRS_IN_MEMORY))
        width = -(-n // parts)

        def generated() -> Iterator[np.ndarray]:
            for k in np.unique(sizes[sizes >= 2]).tolist():
                chosen = np.flatnonzero(sizes == k)
                upper, lower = np.triu_indices(k, 1)
                step = max(1, _PAIRS_IN_MEMORY // 4 // len(upper))
                for offset in range(0, len(chosen), step):
                    part = chosen[offset:offset + step]
                    matrix = rank[starts[part][:, None] + np.arange(k)]
                    a, b = matrix[:, upper].ravel(), matrix[:, lower].ravel()
                    yield ((a * n + b) << 12) | np.repeat(codes[part], len(upper))

        spans = self._spans(generated(), parts, width * n)
        top = _TopCoauthors(self.n_authors, derive.TOP_COAUTHORS)

        def ranked() -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
            for k, w, f, la in spans:
                top.add(k, n, w, f, la)
                yield k // n, k % n, w, f, la

        self.relationships += _write_spans(self.files, "COAUTHOR", "coauthor", "Author", "Author", ranked())
        owner, other, works, first, last = top.result(derive.TOP_COAUTHORS_MIN_DEGREE)
        ids = self.g.author_ids
        delimiter = self.lists.delimiter
        starts = np.flatnonzero(np.concatenate(([True], owner[1:] != owner[:-1]))) if len(owner) else owner
        ends = np.append(starts[1:], len(owner)) if len(owner) else owner
        for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
            names = [ids[i] for i in self.by_rank[other[s:e]].tolist()]
            stats = np.stack([works[s:e], np.maximum(first[s:e], 0), np.maximum(last[s:e], 0)], axis=1)
            self.top[int(owner[s])] = (self.lists(names), delimiter.join(map(str, stats.ravel().tolist())))

    def _spans(self, packed: Iterator[np.ndarray], parts: int, key_width: int
               ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
        """Reduce packed (key << 12 | year) values, in ``parts`` key ranges spilled to disk when more than one."""
        if parts == 1:
            chunks = list(packed)
            if chunks:
                yield _reduce(np.concatenate(chunks))
            return
        paths = [self.files.folder / f"pairs-{i}.bin" for i in range(parts)]
        handles = [open(p, "wb") for p in paths]  # noqa: SIM115 - closed below
        try:
            for chunk in packed:
                bucket = (chunk >> 12) // key_width
                for i in np.unique(bucket).tolist():
                    chunk[bucket == i].tofile(handles[i])
        finally:
            for handle in handles:
                handle.close()
        for path in paths:
            values = np.fromfile(path, dtype=np.int64)
            path.unlink()
            if len(values):
                yield _reduce(values)

    def _affiliated(self, author: np.ndarray, paper: np.ndarray, insts: np.ndarray) -> None:
        """AFFILIATED_WITH as load/derive_affiliations: per (author, institution) works and first/last year."""
        g = self.g
        sizes = np.asarray([len(s) for s in g.inst_sets], dtype=np.int64)
        flat = np.asarray([i for s in g.inst_sets for i in s], dtype=np.int64)
        offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        counts = sizes[insts]
        edge = np.repeat(np.arange(len(insts)), counts)
        within = np.arange(len(edge)) - np.repeat(np.cumsum(counts) - counts, counts)
        inst = flat[offsets[insts[edge]] + within] if len(edge) else edge
        m = max(1, len(g.inst_ids))
        packed = ((self.rank[author[edge]] * m + inst) << 12) | _year_codes(g.year.view(self.n_papers)[paper[edge]])
        parts = [_reduce(packed)] if len(packed) else []
        self.relationships += _write_spans(self.files, "AFFILIATED_WITH", "affiliated", "Author", "Institution",
                                           ((k // m, k % m, w, f, la) for k, w, f, la in parts))


class _TopCoauthors:
    """Each author's ``size`` strongest co-authors, as loaders.derive ranks them (joint works, last year, id),
    gathered span by span from the reduced COAUTHOR pairs; ``result`` keeps the authors with enough of them.

    Authors are in rank space (the id order), so the smaller "other" is the smaller id. Each span keeps its
    own top ``size`` per author (a superset of the final top's members from that span), and the degrees.
    """

    def __init__(self, n_authors: int, size: int) -> None:
        self.size = size
        self.degree = np.zeros(n_authors, dtype=np.int64)
        self.kept: list[tuple[np.ndarray, ...]] = []

    def add(self, keys: np.ndarray, n: int, works: np.ndarray, first: np.ndarray, last: np.ndarray) -> None:
        """One span of reduced pairs (``keys`` = smaller * n + larger, ascending)."""
        a, b = keys // n, keys % n
        self.degree += np.bincount(a, minlength=len(self.degree)) + np.bincount(b, minlength=len(self.degree))
        owner, other = np.concatenate((a, b)), np.concatenate((b, a))
        del a, b
        both_works, both_last = np.concatenate((works, works)), np.concatenate((last, last))
        ranked = _ranked_top(owner, both_works, both_last, other, self.size)
        if ranked is None:   # the values do not fit one packed key: by index
            pick = _ranked_top_by_index(owner, both_works, both_last, other, self.size)
            ranked = owner[pick], other[pick], both_works[pick], both_last[pick]
        owner, other, both_works, both_last = ranked
        # The first year did not travel in the key: look the pair up in the span (its keys are sorted).
        pair = np.minimum(owner, other) * n + np.maximum(owner, other)
        self.kept.append((owner, other, both_works, first[np.searchsorted(keys, pair)], both_last))

    def result(self, min_degree: int) -> tuple[np.ndarray, ...]:
        """(owner, other, works, first, last) of the authors with more than ``min_degree`` co-authors, ranked."""
        if not self.kept:
            return tuple(np.zeros(0, dtype=np.int64) for _ in range(5))
        owner, other, works, first, last = (np.concatenate(parts) for parts in zip(*self.kept, strict=True))
        self.kept.clear()
        hub = self.degree[owner] > min_degree
        owner, other, works, first, last = owner[hub], other[hub], works[hub], first[hub], last[hub]
        pick = _ranked_top_by_index(owner, works, last, other, self.size)
        return owner[pick], other[pick], works[pick], first[pick], last[pick]


def _within_top(grouped: np.ndarray, size: int) -> np.ndarray:
    """For values grouped by owner (ascending, ranked within): which are among their owner's first ``size``."""
    starts = np.flatnonzero(np.concatenate(([True], grouped[1:] != grouped[:-1])))
    within = np.arange(len(grouped)) - np.repeat(starts, np.diff(np.append(starts, len(grouped))))
    return within < size


def _ranked_top(owner: np.ndarray, works: np.ndarray, last: np.ndarray, other: np.ndarray,
                size: int) -> tuple[np.ndarray, ...] | None:
    """Each owner's ``size`` best entries (most works, then latest last year, -1 lowest, then smallest other),
    grouped by owner ascending and ranked within, as (owner, other, works, last): one sort of a packed
    63-bit key, several times faster than sorting indices. None when the values do not fit one key."""
    if not len(owner):
        return owner, other, works, last
    low = int(last.min())
    wmax, cmax = int(works.max()), int(last.max()) - low
    wb, cb = wmax.bit_length(), cmax.bit_length()
    ob = int(max(owner.max(), other.max())).bit_length()
    if 2 * ob + wb + cb > 63:
        return None
    key = ((((owner << wb) | (wmax - works)) << cb | (cmax - (last - low))) << ob) | other
    key.sort()
    key = key[_within_top(key >> (ob + cb + wb), size)]
    return (key >> (ob + cb + wb), key & ((1 << ob) - 1), wmax - ((key >> (ob + cb)) & ((1 << wb) - 1)),
            cmax - ((key >> ob) & ((1 << cb) - 1)) + low)


def _ranked_top_by_index(owner: np.ndarray, works: np.ndarray, last: np.ndarray, other: np.ndarray,
                         size: int) -> np.ndarray:
    """The indices of what ``_ranked_top`` keeps, in its order (when other values must travel along)."""
    if not len(owner):
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((other, -last, -works, owner))
    kept: np.ndarray = order[_within_top(owner[order], size)]
    return kept


# -- around the import ---------------------------------------------------------------------------------------------
def _config(server: LocalServer) -> GraphConfig:
    info = server.info()
    assert info is not None
    return GraphConfig(uri=info.uri, user=USER, password=server.password(), database="neo4j",
                       connection_timeout=30.0, max_retry_time=30.0)


def _node_count(server: LocalServer) -> int:
    with Graph.connect(_config(server)) as db:
        row = db.read_one("bulk/node_count") or {}
    return int(row.get("nodes", 0))


def _refuse_unless_empty(server: LocalServer, nodes: int) -> None:
    if nodes:
        raise BulkError(
            f"the database of the local Neo4j (home {server.home}) already holds {nodes:,} nodes; --bulk imports "
            "into an empty database only. Load into this one with the transactional loader "
            "(python -m loaders SOURCE FILE..., without --bulk), or empty it first.")


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
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; one of {', '.join(SOURCES)}")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    external = GraphConfig.from_env(environ)
    if external is not None:
        raise BulkError(
            f"NEO4J_URI points at {external.uri}: --bulk writes the store files of the local server with "
            "neo4j-admin, which cannot reach another server. Use the transactional loader there "
            "(python -m loaders SOURCE FILE..., without --bulk), or unset NEO4J_URI to bulk-load the local server.")
    fmt = SOURCES[source]
    if owner:
        if source != "works":
            raise ValueError("owner applies to plain publication lists (source 'works') only")
        fmt = Format(fmt.items, functools.partial(works_format.parse, owner=owner))
    files = [Path(p) for p in paths]
    for path in files:
        Source(path).close()
    server = server or LocalServer()
    started = time.monotonic()
    summary = BulkSummary(source, files=[str(p) for p in files])
    was_running = server.info() is not None
    if was_running or server.database_dir().exists():
        if not was_running:
            server.start(bolt_port=None, http_port=None, quiet=True)
        try:
            _refuse_unless_empty(server, _node_count(server))
        finally:
            if not was_running:
                server.stop()
    summary.phases["check"] = time.monotonic() - started

    folder = Path(csv_dir) if csv_dir else Path(tempfile.mkdtemp(prefix="bulk-", dir=_scratch(server)))
    folder.mkdir(parents=True, exist_ok=True)
    # Millions of long-lived small objects and no cycles: the cyclic collector would rescan them all
    # again and again (a 100,000-paper pass took 3x as long with it).
    collecting = gc.isenabled()
    gc.disable()
    try:
        phase = time.monotonic()
        with open(folder / "papers.spill", "w+b") as spill:
            graph = _Graph(spill)
            graph.plan = plan_people(fmt, files, None)
            state = _Pass(graph, summary, batch_size)
            shared_log = RejectLog(Path(rejects)) if rejects is not None else None
            bar = _Progress(sum(p.stat().st_size for p in files), progress, f"{source} --bulk")
            try:
                for path in files:
                    log = shared_log or RejectLog(default_path(path))
                    try:
                        _read_file(fmt, path, log, state, bar)
                    finally:
                        log.close()
                        if log is not shared_log and log.count:
                            summary.rejects_files.append(str(log.path))
                if shared_log is not None and shared_log.count:
                    summary.rejects_files.append(str(shared_log.path))
            finally:
                bar.close()
                if shared_log is not None:
                    shared_log.close()
            summary.phases["read"] = time.monotonic() - phase
            phase = time.monotonic()
            csv = _Files(folder)
            writer = _Writer(graph, csv, max_coauthor_authors)
            writer.write()
        (folder / "papers.spill").unlink()
        summary.nodes, summary.relationships, summary.csv_bytes = writer.nodes, writer.relationships, csv.size
        summary.derived_authors = writer.n_authors
        delimiter = writer.delimiter
        del graph, state, writer  # the picture of the graph is on disk now: free it before the importer runs
        summary.phases["derive+csv"] = time.monotonic() - phase

        phase = time.monotonic()
        if server.info() is not None:  # running: nothing may have been written meanwhile
            _refuse_unless_empty(server, _node_count(server))
            server.stop()
        # Abstracts and names may hold line breaks: only the paper and author files are parsed for them.
        multiline = ",".join(str(f) for label, group in csv.nodes if label in ("Paper", "Author") for f in group)
        options = ["--id-type=integer", f"--array-delimiter={_delimiter_option(delimiter)}",
                   "--multiline-fields-format=v2", f"--multiline-fields={multiline}",
                   f"--max-off-heap-memory={import_memory}"]
        server.import_full(csv.nodes, csv.relationships, options=options, heap=import_heap)
        summary.phases["import"] = time.monotonic() - phase
    finally:
        if collecting:
            gc.enable()
        if not csv_dir:
            shutil.rmtree(folder, ignore_errors=True)

    phase = time.monotonic()
    server.start(bolt_port=None, http_port=None, quiet=True)
    try:
        summary.phases["start"] = time.monotonic() - phase
        with Graph.connect(_config(server)) as db:
            phase = time.monotonic()
            ensure_schema(db)
            summary.phases["schema"] = time.monotonic() - phase
            phase = time.monotonic()
            run_autocommit(db, "bulk/empty_paper_lists")
            run_autocommit(db, "bulk/empty_authored_institutions")
            summary.phases["empty lists"] = time.monotonic() - phase
            phase = time.monotonic()
            derive_metrics(db)  # corpus-wide (loaders/metrics.py): over the imported graph, as after any load
            derive_every_author(db)  # what derive_authors does for the transactional path's :Stale authors
            summary.phases["metrics"] = time.monotonic() - phase
    finally:
        if not was_running:
            server.stop()
    summary.seconds = time.monotonic() - started
    return summary


def _delimiter_option(delimiter: str) -> str:
    return f"U+{ord(delimiter):04X}"


def _scratch(server: LocalServer) -> Path:
    """Where the CSV files go by default: the server's import folder (same disk as the store)."""
    folder = server.home / "import"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
