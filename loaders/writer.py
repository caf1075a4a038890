"""The batched writer: one managed write transaction per batch, one UNWIND query per kind of row.

Identity is resolved inside the same transaction (one look-up of every
identifier of the batch), so a batch is written completely or not at all.
Everything is MERGE on constrained keys: a batch written twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from neo4j import ManagedTransaction

from graph.db import Graph
from graph.queries import query
from loaders.derive import DEFAULT_MAX_COAUTHOR_AUTHORS
from loaders.model import Work
from loaders.rows import BatchRows, KeyMap, assign_ids, build_rows, lookup_rows

# Row kinds in write order: nodes before the relationships between them.
_STEPS: tuple[tuple[str, str], ...] = (
    ("papers", "load/papers"), ("authors", "load/authors"), ("institutions", "load/institutions"),
    ("topics", "load/topics"), ("part_of", "load/part_of"), ("authored", "load/authored"),
    ("about", "load/about"), ("cites", "load/cites"), ("pending", "load/pending"),
    ("openalex_papers", "load/pending_resolve"),
)
# Rows per UNWIND statement: a batch of 5,000 works can hold 20,000 authorships.
_CHUNK = 10_000


def _run(tx: ManagedTransaction, name: str, rows: list[dict[str, Any]], **params: Any) -> int:
    """Run write query ``name`` over ``rows`` in chunks; the number of nodes it created."""
    created = 0
    text = query(name)
    for start in range(0, len(rows), _CHUNK):
        created += tx.run(text, rows=rows[start:start + _CHUNK], **params).consume().counters.nodes_created
    return created


def _authored(tx: ManagedTransaction, rows: list[dict[str, Any]], max_authors: int) -> None:
    """AUTHORED edges, then the COAUTHOR pairs of the ones that are new."""
    fresh: dict[str, list[str]] = {}
    text = query("load/authored")
    for start in range(0, len(rows), _CHUNK):
        for record in tx.run(text, rows=rows[start:start + _CHUNK]):
            fresh.setdefault(record["paper"], []).append(record["author"])
    if fresh:
        tx.run(query("load/coauthors_add"), fresh=fresh, max_authors=max_authors).consume()


def _resolve(tx: ManagedTransaction, works: Sequence[Work]) -> KeyMap:
    lookups = lookup_rows(works)
    found: KeyMap = {}
    text = query("load/resolve_papers")
    for start in range(0, len(lookups), _CHUNK):
        for record in tx.run(text, rows=lookups[start:start + _CHUNK]):
            found[(record["kind"], record["value"])] = record["id"]
    return found


def write_batch(db: Graph, works: Sequence[Work], *,
                max_coauthor_authors: int = DEFAULT_MAX_COAUTHOR_AUTHORS) -> tuple[list[str], int]:
    """Write one batch; the Paper id of each work, and how many new Papers (not stubs) it created.

    COAUTHOR pairs of the new authorships are added in the same transaction
    (``load/coauthors_add``); everything else derived waits for ``loaders.derive``.
    """

    def work(tx: ManagedTransaction) -> tuple[list[str], int]:
        found = _resolve(tx, works)
        ids, batch = assign_ids(works, found)
        rows: BatchRows = build_rows(works, ids, found, batch)
        new_papers = 0
        for attr, name in _STEPS:
            part = getattr(rows, attr)
            if attr == "authored":
                _authored(tx, part, max_coauthor_authors)
            elif part:
                created = _run(tx, name, part, max_authors=max_coauthor_authors)
                if attr == "papers":
                    new_papers = created
        return ids, new_papers

    return db.write_tx(work)
