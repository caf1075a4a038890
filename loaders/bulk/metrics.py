"""The metrics of ``loaders.metrics`` for the bulk path, computed from the in-memory graph before the CSV.

After a transactional load, ``loaders.metrics.derive_metrics`` reads every paper back from
Neo4j (year, categories, top OpenAlex subfields, references), computes novelty and CD with
``graph.metrics`` and writes them, then recomputes every author's AI share and novelty in
Cypher. A bulk load has all of that in memory already: the same ``graph.metrics`` functions
run on it here and the values go into the Paper and Author CSV files, so the imported graph
needs no metrics pass (a million papers read and written back over Bolt took minutes).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from graph import metrics as m
from loaders.bulk.graph import _Graph

# Columns added to the Paper and Author headers, in the order of ``paper_fields`` and ``author_fields``.
PAPER_HEADER = ("ai_work:boolean,novel:boolean,novelty_p10:double,novelty_refs:long,rarest_pair_a,rarest_pair_b,"
                "rarest_pair_commonness:double,novelty_version,cd_index:double,cd_version")
AUTHOR_HEADER = ("ai_works_considered:long,ai_works:long,ai_share:double,ai_share_version,novelty_eligible:long,"
                 "novel_works:long,novelty:double,novelty_version")


@dataclass
class PaperMetrics:
    """Per paper number: ai_work and novel as -1 (null), 0, 1; the novelty and CD of the papers that have them."""

    ai_work: np.ndarray
    novel: np.ndarray
    novelty: dict[int, m.WorkNovelty]
    cd: dict[int, float]


def top_subfields(g: _Graph, about_paper: np.ndarray, about_topic: np.ndarray,
                  about_score: np.ndarray) -> dict[int, list[str | None]]:
    """What metrics/papers_page reads as ``top_subfields``: per paper, the subfields (None where a topic has
    none) of its top-scored OpenAlex topics, from the ABOUT edges as imported (one per paper and topic)."""
    is_topic = [scheme == "openalex" and level == "topic" for _, scheme, level in g.topic_props]
    subfields: dict[int, list[str]] = defaultdict(list)
    for child, parent in sorted(g.part_of):
        _, scheme, level = g.topic_props[parent]
        if scheme == "openalex" and level == "subfield":
            subfields[child].append(g.topic_ids[parent])
    best: dict[int, tuple[float, list[str | None]]] = {}
    for paper, topic, score in zip(about_paper.tolist(), about_topic.tolist(), about_score.tolist(), strict=True):
        if not is_topic[topic]:
            continue
        parents: list[str | None] = list(subfields.get(topic, ())) or [None]
        known = best.get(paper)
        if known is None or score > known[0]:
            best[paper] = (score, parents)
        elif score == known[0]:
            known[1].extend(parents)
    return {paper: found for paper, (_, found) in best.items()}


def paper_metrics(g: _Graph, n_papers: int, cite_source: np.ndarray, cite_target: np.ndarray,
                  subfields: dict[int, list[str | None]]) -> PaperMetrics:
    """AI work, novelty and CD of every paper, as ``loaders.metrics.paper_rows`` computes them."""
    ids = g.paper_ids
    years = g.year.view(n_papers).tolist()
    year = {ids[i]: (y if y >= 0 else None) for i, y in enumerate(years)}
    first = g.first_category.view(n_papers).tolist()
    ai_category = g.ai_category.view(n_papers).tolist()
    names = g.category_names
    ai_work = np.full(n_papers, -1, dtype=np.int8)
    classes: dict[str, str | None] = {}
    for number in range(n_papers):
        top = subfields.get(number, [])
        subfield = m.primary_subfield(top)
        has_categories = first[number] >= 0
        classes[ids[number]] = f"arxiv:{names[first[number]]}" if has_categories else subfield
        # graph.metrics.ai_work on (categories, top_subfields), with the categories reduced to what it reads.
        if ai_category[number] or subfield == m.AI_SUBFIELD:
            ai_work[number] = 1
        elif has_categories or subfield:
            ai_work[number] = 0
    refs: dict[str, list[str]] = defaultdict(list)
    for source, target in zip(cite_source.tolist(), cite_target.tolist(), strict=True):
        refs[ids[source]].append(ids[target])
    novel = m.novelty(year, classes, refs)
    cd = m.disruption(year, refs)
    number_of = g.paper_no
    novel_flag = np.full(n_papers, -1, dtype=np.int8)
    by_number = {number_of[paper]: value for paper, value in novel.items()}
    for number, value in by_number.items():
        novel_flag[number] = 1 if value.novel else 0
    return PaperMetrics(ai_work, novel_flag, by_number, {number_of[paper]: value for paper, value in cd.items()})


def paper_fields(metrics: PaperMetrics, number: int) -> list[str]:
    """The Paper's metric fields, null (empty) where ``loaders.metrics`` stores none."""
    ai = int(metrics.ai_work[number])
    fields = ["" if ai < 0 else ("true" if ai else "false")]
    n = metrics.novelty.get(number)
    if n is None:
        fields += [""] * 7
    else:
        fields += ["true" if n.novel else "false", repr(n.p10), str(n.references), _quoted(n.rarest[0]),
                   _quoted(n.rarest[1]), repr(n.rarest_commonness), _quoted(m.NOVELTY_VERSION)]
    cd = metrics.cd.get(number)
    fields += ["", ""] if cd is None else [repr(cd), _quoted(m.CD_VERSION)]
    return fields


def author_fields(metrics: PaperMetrics, author: np.ndarray, paper: np.ndarray, n_authors: int) -> list[str]:
    """Per author number, the fields of load/derive_author_metrics over its AUTHORED edges (one per paper)."""
    ai, novel = metrics.ai_work[paper], metrics.novel[paper]
    judged = np.bincount(author, weights=ai >= 0, minlength=n_authors).astype(np.int64).tolist()
    ai_works = np.bincount(author, weights=ai == 1, minlength=n_authors).astype(np.int64).tolist()
    eligible = np.bincount(author, weights=novel >= 0, minlength=n_authors).astype(np.int64).tolist()
    novel_works = np.bincount(author, weights=novel == 1, minlength=n_authors).astype(np.int64).tolist()
    ai_version, novelty_version = _quoted(m.AI_SHARE_VERSION), _quoted(m.NOVELTY_VERSION)
    out = []
    for j, a, e, n in zip(judged, ai_works, eligible, novel_works, strict=True):
        share = repr(a / j) if j > 0 else ""
        novelty = repr(n / e) if e >= m.MIN_ELIGIBLE_WORKS else ""
        out.append(f"{j},{a},{share},{ai_version},{e},{n},{novelty},{novelty_version}")
    return out


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'
