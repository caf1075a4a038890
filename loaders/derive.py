"""Derived data, recomputed for what the loads touched (marked ``:Stale`` in the writing transaction).

Order: papers' ``cited_by_count`` first (it feeds the authors' figures), then per
author ``works_count``, ``cited_by_count``, ``h_index``, ``AFFILIATED_WITH``, AI share and novelty
(``loaders.metrics``, from the papers' stored flags) and, for
authors with more than ``TOP_COAUTHORS_MIN_DEGREE`` co-authors, their ``TOP_COAUTHORS``
strongest co-authors ranked (``top_coauthors``, ``top_coauthor_stats``: what graph
slices read instead of a hub's thousands of COAUTHOR relationships).
``COAUTHOR`` pairs are added incrementally by the batch that creates the
authorships (``load/coauthors_add``); authors marked ``:StaleCoauthors`` (a
paper's year changed, or its author count crossed the limit) get their pairs
recomputed in full here. Each chunk is recomputed and unmarked in one transaction, so a
killed load leaves only marks behind, which the next load finishes. The
recomputation reads AUTHORED/CITES in full: running it twice gives the same values.
"""

from __future__ import annotations

from collections.abc import Callable

from neo4j import ManagedTransaction

from graph.db import Graph
from graph.queries import query
from loaders.metrics import derive_author_metrics, derive_metrics

DEFAULT_MAX_COAUTHOR_AUTHORS = 100
# Authors with more co-authors than this keep their TOP_COAUTHORS strongest, ranked (read at call time, so the
# bulk path and tests see one value). TOP_COAUTHORS is the explorer's default cap for co-authors.
TOP_COAUTHORS_MIN_DEGREE = 100
TOP_COAUTHORS = 25
# Authors per transaction: a prolific author has thousands of co-author pairs in the transaction state.
CHUNK = 500
# Authors per transaction for the per-author figures and affiliations (a few rows each), and papers per
# transaction for cited_by_count: big enough that a 100,000-paper load needs tens of transactions, not hundreds.
AUTHOR_CHUNK = 2_000
PAPER_CHUNK = 10_000


def derive_papers(db: Graph, *, chunk: int = PAPER_CHUNK) -> int:
    """Recompute every stale paper's cited_by_count; how many papers were processed."""
    total = 0
    while True:
        def work(tx: ManagedTransaction) -> int:
            record = tx.run(query("load/derive_papers"), limit=chunk).single()
            return int(record["papers"]) if record else 0

        done = db.write_tx(work)
        total += done
        if done < chunk:
            return total


def derive_authors(db: Graph, *, max_coauthor_authors: int = DEFAULT_MAX_COAUTHOR_AUTHORS, chunk: int = AUTHOR_CHUNK,
                   on_chunk: Callable[[int], None] | None = None) -> int:
    """Recompute every stale author's derived values and relationships; how many authors were processed."""
    total = 0
    while True:
        def work(tx: ManagedTransaction) -> int:
            ids = [r["id"] for r in tx.run(query("load/stale_authors"), limit=chunk)]
            if ids:
                tx.run(query("load/derive_author_stats"), ids=ids).consume()
                tx.run(query("load/derive_affiliations"), ids=ids).consume()
                tx.run(query("load/derive_top_coauthors"), ids=ids, min_degree=TOP_COAUTHORS_MIN_DEGREE,
                       top=TOP_COAUTHORS).consume()
                derive_author_metrics(tx, ids)
                tx.run(query("load/clear_stale_authors"), ids=ids).consume()
            return len(ids)

        done = db.write_tx(work)
        total += done
        if on_chunk and done:
            on_chunk(done)
        if done < chunk:
            return total


def derive_coauthors(db: Graph, *, max_coauthor_authors: int = DEFAULT_MAX_COAUTHOR_AUTHORS,
                     chunk: int = CHUNK) -> int:
    """Recompute in full the COAUTHOR pairs of every author marked :StaleCoauthors; how many."""
    total = 0
    while True:
        def work(tx: ManagedTransaction) -> int:
            ids = [r["id"] for r in tx.run(query("load/stale_coauthors"), limit=chunk)]
            if ids:
                tx.run(query("load/derive_coauthors"), ids=ids, max_authors=max_coauthor_authors).consume()
                tx.run(query("load/clear_stale_coauthors"), ids=ids).consume()
            return len(ids)

        done = db.write_tx(work)
        total += done
        if done < chunk:
            return total


def derive_all(db: Graph, *, max_coauthor_authors: int = DEFAULT_MAX_COAUTHOR_AUTHORS,
               on_chunk: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Finish every pending recomputation: (papers, authors) processed."""
    papers = derive_papers(db)
    derive_coauthors(db, max_coauthor_authors=max_coauthor_authors)
    authors = derive_authors(db, max_coauthor_authors=max_coauthor_authors, on_chunk=on_chunk)
    return papers, authors


def finish(db: Graph, *, max_coauthor_authors: int = DEFAULT_MAX_COAUTHOR_AUTHORS,
           on_chunk: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Everything loads left pending: ``derive_all``, then the metrics pass (``loaders.metrics``); (papers,
    authors) processed by the first. What ``load_files`` does after its last write unless told to leave it."""
    done = derive_all(db, max_coauthor_authors=max_coauthor_authors, on_chunk=on_chunk)
    derive_metrics(db)
    return done
