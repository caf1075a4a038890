"""The metrics pass: AI share, novelty and CD recomputed over the whole graph after a load.

Novelty's commonness table is corpus-wide (every pair cited by every paper of a year), so one
new paper can change the score of every other paper of its year; CD reads the citations of a
paper's references. Both are therefore recomputed from the whole graph, not per touched paper:
the pass reads every paper once (paged by id: its year, classes and references), computes in
Python (``graph.metrics``), and writes only the papers whose values changed, then recomputes the
AI share and novelty of those papers' authors. Authors whose works changed in the load itself are
recomputed by ``loaders.derive`` (``load/derive_author_metrics`` with the other per-author values).
Running it twice writes nothing the second time; a pass killed midway is finished by the next one.
Measured figures are in docs/metrics.md.

The pass runs only when something it reads changed: the load's writing queries mark ``:StaleMetrics``
a new paper, one whose year or categories change, the citing paper of a new CITES, a paper with a new or
higher-scored ABOUT, and a topic that is new, changes scheme or level, or gains a PART_OF. With no mark in
the graph, the stored metrics are the from-scratch figures already, and the pass costs one label count.
The marks read before the papers are cleared after the last write, so a pass killed midway (or a load that
deferred its pass: ``load_files(derive="touched")``, a harvest page) leaves them for the next pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neo4j import ManagedTransaction

from graph import metrics as m
from graph.db import Graph
from graph.queries import query

PAGE = 20_000
WRITE_CHUNK = 2_000
AUTHOR_CHUNK = 2_000
MARK_CHUNK = 10_000


@dataclass
class MetricsSummary:
    skipped: bool = False  # no :StaleMetrics mark: nothing the pass reads had changed
    papers: int = 0
    eligible_novelty: int = 0
    with_cd: int = 0
    papers_written: int = 0
    authors_written: int = 0


def derive_author_metrics(tx: ManagedTransaction, ids: list[str]) -> None:
    """Recompute the AI share and novelty of ``ids`` inside ``tx``."""
    tx.run(query("load/derive_author_metrics"), ids=ids, min_eligible=m.MIN_ELIGIBLE_WORKS,
           ai_version=m.AI_SHARE_VERSION, novelty_version=m.NOVELTY_VERSION).consume()


def _read_all(db: Graph, page: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    after = ""
    while True:
        batch = db.read("metrics/papers_page", after=after, limit=page)
        rows.extend(batch)
        if len(batch) < page:
            return rows
        after = batch[-1]["id"]


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))
    return bool(a == b)


def paper_rows(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int, int]:
    """The write rows of the papers whose metrics differ from what is stored; (rows, eligible, with CD)."""
    year = {r["id"]: r["year"] for r in rows}
    classes = {r["id"]: m.paper_class(r["categories"], r["top_subfields"]) for r in rows}
    refs = {r["id"]: r["refs"] for r in rows if r["refs"]}
    novel = m.novelty(year, classes, refs)
    cd = m.disruption(year, refs)
    out = []
    for r in rows:
        n = novel.get(r["id"])
        value = cd.get(r["id"])
        new = {"ai_work": m.ai_work(r["categories"], r["top_subfields"]),
               "novel": n.novel if n else None, "p10": n.p10 if n else None, "refs": n.references if n else None,
               "rarest_a": n.rarest[0] if n else None, "rarest_b": n.rarest[1] if n else None,
               "rarest_commonness": n.rarest_commonness if n else None,
               "novelty_version": m.NOVELTY_VERSION if n else None,
               "cd": value, "cd_version": m.CD_VERSION if value is not None else None}
        if any(not _close(new[k], r["stored"][k]) for k in new):
            out.append({"id": r["id"], **new})
    return out, len(novel), len(cd)


def derive_metrics(db: Graph, *, page: int = PAGE, force: bool = False) -> MetricsSummary:
    """Recompute every paper's metrics from the whole graph; store the changes and their authors' figures.

    Skipped when no node is marked ``:StaleMetrics`` (see above) unless ``force`` (after a change of a
    metric's method, or on a graph loaded before the marks existed).
    """
    marks = [r["eid"] for r in db.read("metrics/stale_marks")]
    if not marks and not force:
        return MetricsSummary(skipped=True)
    rows = _read_all(db, page)
    changed, eligible, with_cd = paper_rows(rows)
    summary = MetricsSummary(papers=len(rows), eligible_novelty=eligible, with_cd=with_cd,
                             papers_written=len(changed))
    del rows
    for start in range(0, len(changed), WRITE_CHUNK):
        summary.authors_written += db.write_tx(_write_chunk, changed[start:start + WRITE_CHUNK])
    for start in range(0, len(marks), MARK_CHUNK):
        db.write("metrics/clear_marks", eids=marks[start:start + MARK_CHUNK])
    return summary


def _write_chunk(tx: ManagedTransaction, rows: list[dict[str, Any]]) -> int:
    """Papers and their authors' figures in one transaction: a pass killed midway leaves no author behind."""
    tx.run(query("metrics/write_papers"), rows=rows).consume()
    authors = [r["id"] for r in tx.run(query("metrics/authors_of_papers"), ids=[r["id"] for r in rows])]
    for start in range(0, len(authors), AUTHOR_CHUNK):
        derive_author_metrics(tx, authors[start:start + AUTHOR_CHUNK])
    return len(authors)


def derive_every_author(db: Graph, *, chunk: int = AUTHOR_CHUNK) -> int:
    """Recompute every author's AI share and novelty (after a bulk import, which has no :Stale marks)."""
    done, after = 0, ""
    while True:
        ids = [r["id"] for r in db.read("metrics/author_ids_page", after=after, limit=chunk)]
        if ids:
            db.write_tx(derive_author_metrics, ids)
            done += len(ids)
            after = ids[-1]
        if len(ids) < chunk:
            return done
