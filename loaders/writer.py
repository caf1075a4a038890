"""The batched writer: one managed write transaction per batch, a few UNWIND queries per kind of row.

Identity is resolved inside the same transaction (one look-up of every
identifier of the batch), so a batch is written completely or not at all.
Which person each name-only byline is may be decided before, for the whole
load (``plan_people``): then batching does not change the people.
Everything is MERGE on constrained keys, except where the transaction itself
has just shown that the thing cannot exist yet (AUTHORED edges of a paper that
had none, COAUTHOR pairs of an author who had none): a batch written twice
changes nothing.

COAUTHOR is kept in step here, in the transaction that creates the AUTHORED
edges: the increments are computed in Python from the batch (``rows.coauthor_increments``)
and written aggregated, one row per pair, sorted by id.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from neo4j import ManagedTransaction
from neo4j import exceptions as nx

from graph.db import Graph, is_memory_error
from graph.errors import OutOfMemory
from graph.queries import query
from loaders.columns import ColumnPlan, PeoplePlan
from loaders.derive import DEFAULT_MAX_COAUTHOR_AUTHORS
from loaders.identity import Person
from loaders.model import Work
from loaders.people import MAX_EVIDENCE_AUTHORS, batch_blocks, people_from_records, resolve, surname
from loaders.rows import (
    BatchRows,
    KeyMap,
    Row,
    assign_ids,
    build_rows,
    chunks,
    coauthor_increments,
    coauthor_rows,
    lookup_rows,
)

# Rows per UNWIND statement: big enough that the round trips do not count, small enough
# that one statement's rows stay a few MB.
_CHUNK = 10_000
# COAUTHOR pairs per statement (a batch of 5,000 papers can add 200,000 pairs).
_PAIR_CHUNK = 20_000

_NODE_STEPS: tuple[tuple[str, str], ...] = (
    ("institutions", "load/institutions"), ("topics", "load/topics"), ("part_of", "load/part_of"))
_EDGE_STEPS: tuple[tuple[str, str], ...] = (
    ("about", "load/about"), ("cites", "load/cites"), ("pending", "load/pending"),
    ("openalex_papers", "load/pending_resolve"))
_KINDS = {"arxiv_id": "arxiv", "doi": "doi", "openalex_id": "openalex"}


@dataclass(frozen=True)
class PaperState:
    """A Paper of the batch after its write: the values the COAUTHOR rule reads."""

    eid: str  # elementId, valid in the writing transaction
    year: int | None
    author_count: int
    had_authors: bool  # AUTHORED edges from before this batch


def _run(tx: ManagedTransaction, name: str, rows: Sequence[Row], size: int = _CHUNK,
         weight: str | None = None, **params: Any) -> int:
    """Run write query ``name`` over ``rows`` in chunks; the number of nodes it created."""
    created = 0
    text = query(name)
    for part in chunks(rows, size, weight):
        created += tx.run(text, rows=list(part), **params).consume().counters.nodes_created
    return created


def _resolve(tx: ManagedTransaction, works: Sequence[Work]) -> KeyMap:
    """(kind, value) -> Paper id, for every identifier of the batch that the graph already holds."""
    values: dict[str, list[str]] = {param: [] for param in _KINDS.values()}
    for row in lookup_rows(works):
        values[_KINDS[row["kind"]]].append(row["value"])
    found: KeyMap = {}
    text = query("load/resolve_papers")
    for start in range(0, max(len(v) for v in values.values()), _CHUNK):
        part = {param: v[start:start + _CHUNK] for param, v in values.items()}
        for record in tx.run(text, part):
            found[(record["kind"], record["value"])] = record["id"]
    return found


def _papers(tx: ManagedTransaction, rows: list[Row], max_authors: int) -> tuple[dict[str, PaperState], int]:
    """Write the Paper rows; their state afterwards, and how many Papers were created."""
    state: dict[str, PaperState] = {}
    created = 0
    text = query("load/papers")
    for part in chunks(rows, _CHUNK):
        result = tx.run(text, rows=list(part), max_authors=max_authors)
        record = result.single(strict=True)
        for paper, eid, (year,), (count,), authored in zip(record["ids"], record["eids"], record["years"],
                                                           record["author_counts"], record["authored"], strict=True):
            before = state.get(paper)  # a paper given twice: the last entry holds the final values
            state[paper] = PaperState(eid, year, count, authored > 0 or (before is not None and before.had_authors))
        created += result.consume().counters.nodes_created
    return state, created


def _authors(tx: ManagedTransaction, rows: list[Row], eids: dict[str, str],
             degrees: dict[str, tuple[int, int]]) -> None:
    """Write the Author rows, noting their elementIds and COAUTHOR degrees (out, in) before this batch."""
    text = query("load/authors")
    for part in chunks(rows, _CHUNK):
        record = tx.run(text, rows=list(part)).single(strict=True)
        eids.update(zip(record["ids"], record["eids"], strict=True))
        degrees.update(zip(record["ids"], zip(record["outs"], record["ins"], strict=True), strict=True))


def _authored(tx: ManagedTransaction, rows: list[Row], state: dict[str, PaperState],
              eids: dict[str, str]) -> dict[str, list[str]]:
    """Write the AUTHORED rows; paper id -> the authors whose edge is new."""
    fresh: dict[str, list[str]] = {}
    by_paper: dict[str, Row] = {}
    known: list[Row] = []
    for row in rows:
        paper = row["paper"]
        if state[paper].had_authors:
            known.append(row)
            continue
        new = by_paper.get(paper)
        if new is None:
            new = by_paper[paper] = {"paper": state[paper].eid, "authors": [], "positions": [], "institutions": [],
                                     "sources": [], "bylines": []}
            fresh[paper] = []
        new["authors"].append(eids[row["author"]])
        new["positions"].append(row["position"])
        new["institutions"].append(row["institutions"])
        new["sources"].append(row["source"])
        new["bylines"].append(row["byline"])
        fresh[paper].append(row["author"])
    _run(tx, "load/authored_new", list(by_paper.values()), weight="authors")
    text = query("load/authored")
    for part in chunks(known, _CHUNK):
        for record in tx.run(text, rows=list(part)):
            fresh.setdefault(record["paper"], []).append(record["author"])
    return fresh


def _coauthors(tx: ManagedTransaction, fresh: dict[str, list[str]], state: dict[str, PaperState],
               eids: dict[str, str], degrees: dict[str, tuple[int, int]], max_authors: int) -> None:
    """Add the COAUTHOR increments of the new AUTHORED edges (papers over ``max_authors`` make none)."""
    counted = {paper: new for paper, new in fresh.items() if state[paper].author_count <= max_authors}
    if not counted:
        return
    # A paper that had authors before may have others than this batch's: read its full list.
    known = sorted(p for p in counted if state[p].had_authors)
    everyone: dict[str, list[str]] = {}
    text = query("load/paper_authors")
    for start in range(0, len(known), _CHUNK):
        for record in tx.run(text, ids=known[start:start + _CHUNK]):
            everyone[record["paper"]] = record["authors"]
            eids.update(zip(record["authors"], record["eids"], strict=True))
            degrees.update(zip(record["authors"], zip(record["outs"], record["ins"], strict=True), strict=True))
    pairs = coauthor_increments((everyone.get(paper, new), set(new), state[paper].year)
                                for paper, new in counted.items())
    rows = coauthor_rows(pairs, degrees, eids)
    updates: list[Row] = []
    text = query("load/coauthors_existing")
    for part in chunks(rows.check, _PAIR_CHUNK, "b"):
        existing: dict[tuple[str, str], str] = {}
        for record in tx.run(text, rows=[{"a": row["a"], "b": row["b"]} for row in part]):
            existing.update(((record["a"], b), rel) for b, rel in zip(record["b"], record["rels"], strict=True))
        for row in part:
            new: Row = {"a": row["a"], "b": [], "works": [], "first": [], "last": []}
            for i, b in enumerate(row["b"]):
                rel = existing.get((row["a"], b))
                if rel is None:
                    for key in ("b", "works", "first", "last"):
                        new[key].append(row[key][i])
                else:
                    updates.append({"rel": rel, "works": row["works"][i], "first": row["first"][i],
                                    "last": row["last"][i]})
            if new["b"]:
                rows.create.append(new)
    _run(tx, "load/coauthors_new", rows.create, _PAIR_CHUNK, "b")
    _run(tx, "load/coauthors_update", updates, _PAIR_CHUNK)
    _run(tx, "load/coauthors_add", rows.merge, _PAIR_CHUNK, "b")


def plan_add(db: Graph | None, plan: PeoplePlan, works: Sequence[Work], batch: KeyMap) -> None:
    """Note a chunk of the load's works in ``plan`` with the Paper ids they will write to.

    ``batch`` carries the identifiers of the load's earlier works, so that a paper
    given twice is one paper however far apart its records are. ``db`` None: an
    empty graph (the bulk loader's).
    """
    found = db.read_tx(lambda tx: _resolve(tx, works)) if db is not None else {}
    ids, _ = assign_ids(works, found, batch)
    plan.add(works, ids)


def graph_empty(db: Graph) -> bool:
    """Whether the graph holds no Paper and no Author (one look-up of the count store)."""
    counts = db.read("load/graph_empty")[0]
    return bool(counts["papers"] == 0 and counts["authors"] == 0)


def plan_decide(db: Graph | None, plan: PeoplePlan) -> None:
    """Cluster the load's bylines at once, against the people the graph holds in their blocks.

    When the graph holds none of them (``db`` None: an empty graph), the blocks are clustered on every core
    (``loaders.bulk.plan.decide``: the same people; Neo4j is idle meanwhile). A ``ColumnPlan`` is kept only for
    an empty graph: it has nothing to read.
    """
    if isinstance(plan, ColumnPlan):
        if db is not None:
            raise ValueError("a ColumnPlan is for a load into an empty graph (db None)")
        plan.decide()
        return
    blocks = plan.blocks()

    def read(tx: ManagedTransaction) -> tuple[dict[str, list[Person]], dict[str, list[str]], int]:
        known: dict[str, list[Person]] = {}
        text = query("load/identity_people")
        for start in range(0, len(blocks), _CHUNK):
            known.update(people_from_records(tx.run(text, blocks=blocks[start:start + _CHUNK],
                                                    max_authors=MAX_EVIDENCE_AUTHORS)))
        return known, surname_blocks(tx, blocks), graph_authors(tx)

    known, graph_blocks, graph_people = db.read_tx(read) if blocks and db is not None else ({}, {}, 0)
    if known or threading.active_count() > 1:
        # Known people: one process (loaders.bulk.plan.decide clusters into an empty graph only). Other threads
        # (a harvest inside the web server): no fork, which could leave a child waiting on a lock held by them.
        plan.decide(known, graph_blocks, graph_people)
        return
    from loaders.bulk.plan import decide  # here: loaders.bulk imports this module

    decide(plan, graph_blocks=graph_blocks, graph_people=graph_people)


def graph_authors(tx: ManagedTransaction) -> int:
    """The graph's Author nodes (the count store): the people a surname's rarity is told among."""
    return int(tx.run(query("load/graph_empty")).single(strict=True)["authors"])


def surname_blocks(tx: ManagedTransaction, blocks: Sequence[str]) -> dict[str, list[str]]:
    """Surname -> the name blocks of it the graph holds (``load/surname_blocks``), for the surnames of
    ``blocks``: what tells a rare surname from a common one (``loaders.people.context``)."""
    names = sorted({surname(b) for b in blocks})
    text = query("load/surname_blocks")
    out: dict[str, list[str]] = {}
    for start in range(0, len(names), _CHUNK):
        out.update((r["surname"], r["blocks"]) for r in tx.run(text, surnames=names[start:start + _CHUNK]))
    return out


def write_batch(db: Graph, works: Sequence[Work], *,
                max_coauthor_authors: int = DEFAULT_MAX_COAUTHOR_AUTHORS, resolved: bool = False
                ) -> tuple[list[str], int]:
    """Write one batch; the Paper id of each work, and how many new Papers (not stubs) it created.

    COAUTHOR pairs of the new authorships are added in the same transaction;
    everything else derived waits for ``loaders.derive``. ``resolved``: the
    authorships already carry their people (``Plan.apply``).
    """

    def work(tx: ManagedTransaction) -> tuple[list[str], int]:
        try:
            return steps(tx)
        except nx.Neo4jError as exc:
            # Raised as the project's error from inside: the driver retries a transient error, and
            # Neo4j calls a memory limit transient, but the same batch needs the same memory again.
            if is_memory_error(exc):
                raise OutOfMemory(exc.message or str(exc)) from exc
            raise

    def steps(tx: ManagedTransaction) -> tuple[list[str], int]:
        found = _resolve(tx, works)
        ids, batch = assign_ids(works, found)
        people: Sequence[Work] = works
        if not resolved:
            blocks = batch_blocks(works)
            known = people_from_records(tx.run(query("load/identity_people"), blocks=blocks,
                                               max_authors=MAX_EVIDENCE_AUTHORS))
            # Name-only bylines become people (loaders.people) before any row is built.
            people = resolve(works, ids, known, surname_blocks(tx, blocks), graph_authors(tx))
        rows: BatchRows = build_rows(people, ids, found, batch)
        state, new_papers = _papers(tx, rows.papers, max_coauthor_authors)
        eids: dict[str, str] = {}
        degrees: dict[str, tuple[int, int]] = {}
        _authors(tx, rows.authors, eids, degrees)
        for attr, name in _NODE_STEPS:
            _run(tx, name, getattr(rows, attr))
        fresh = _authored(tx, rows.authored, state, eids)
        _coauthors(tx, fresh, state, eids, degrees, max_coauthor_authors)
        for attr, name in _EDGE_STEPS:
            _run(tx, name, getattr(rows, attr))
        return ids, new_papers

    return db.write_tx(work)


def write_split(db: Graph, works: Sequence[Work], *,
                max_coauthor_authors: int = DEFAULT_MAX_COAUTHOR_AUTHORS, resolved: bool = False
                ) -> tuple[list[str], int, int]:
    """``write_batch``, halving the batch while Neo4j refuses it memory; also how many splits it took.

    Halves are written one after the other, each in its own transaction, so every work is
    written once whatever the split. A single work that does not fit raises OutOfMemory
    saying what to change.
    """
    try:
        ids, new_papers = write_batch(db, works, max_coauthor_authors=max_coauthor_authors, resolved=resolved)
        return ids, new_papers, 0
    except OutOfMemory as exc:
        if len(works) > 1:
            half = len(works) // 2
            first = write_split(db, works[:half], max_coauthor_authors=max_coauthor_authors, resolved=resolved)
            second = write_split(db, works[half:], max_coauthor_authors=max_coauthor_authors, resolved=resolved)
            return first[0] + second[0], first[1] + second[1], 1 + first[2] + second[2]
        work = works[0]
        raise OutOfMemory(
            f"one work alone ({work.default_id}, {len(work.authors)} authors) needs more transaction memory "
            f"than Neo4j grants ({exc}); a smaller --batch-size or --batch-rows cannot help: give Neo4j more "
            "memory (PEERGRAPH_NEO4J_HEAP, e.g. 2g, for the local server; dbms.memory.transaction.total.max "
            "and db.memory.transaction.max on another server) or lower --max-coauthor-authors") from exc
