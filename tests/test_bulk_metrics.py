"""The bulk path's paper metrics (loaders.bulk.metrics), computed from its in-memory graph, against
graph.metrics applied straight to the parsed records: no Neo4j, a few seconds.

tests/test_bulk.py compares whole graphs (bulk against transactional, metrics included), but its
small files give no paper a CD index; three years of Paperscape do.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections import defaultdict
from pathlib import Path

from conftest import shared_file

from graph import metrics as m
from loaders import SOURCES
from loaders.bulk.csvfiles import _Files, _Writer
from loaders.bulk.graph import _Graph
from loaders.bulk.metrics import paper_metrics, top_subfields
from loaders.model import BadRecord, Work
from loaders.reader import Source


def _works(files: list[Path]) -> list[Work]:
    fmt, works = SOURCES["paperscape"], []
    for path in files:
        source = Source(path)
        try:
            for item in fmt.items(source):
                if item.error is None:
                    with contextlib.suppress(BadRecord):  # a reject: not part of what the bulk path loads
                        works.append(fmt.parse(item.value))
        finally:
            source.close()
    return works


def test_paper_metrics_are_those_of_graph_metrics_on_the_records() -> None:
    works = _works([shared_file("paperscape", f"pscp-{year}.csv.gz") for year in (1991, 1992, 1993)])
    # Expected, from the records alone: Paperscape papers are arxiv:<id>; a cited id not loaded is a stub
    # Paper (no year, no categories); categories are unioned in record order (the first one stays first).
    year: dict[str, int | None] = {}
    categories: dict[str, list[str]] = {}
    refs: dict[str, set[str]] = defaultdict(set)
    for work in works:
        paper = f"arxiv:{work.arxiv_id}"
        if work.year is not None:
            year[paper] = work.year
        year.setdefault(paper, None)
        known = categories.setdefault(paper, [])
        known.extend(c for c in work.categories if c not in known)
        refs[paper].update(f"arxiv:{r}" for r in work.cites_arxiv if f"arxiv:{r}" != paper)
    for cited in {r for rs in refs.values() for r in rs}:
        year.setdefault(cited, None)
    classes = {p: m.paper_class(categories.get(p, []), []) for p in year}
    cited_lists = {p: sorted(rs) for p, rs in refs.items() if rs}
    novelty, cd = m.novelty(year, classes, cited_lists), m.disruption(year, cited_lists)
    assert len(novelty) > 20 and len(cd) > 20, "the files must exercise both metrics"

    with tempfile.TemporaryDirectory() as tmp, open(Path(tmp) / "spill", "w+b") as spill:
        graph = _Graph(spill)
        for start in range(0, len(works), 500):
            graph.apply(works[start:start + 500])
        writer = _Writer(graph, _Files(Path(tmp)), 100)
        source, target = writer.cites()
        found = paper_metrics(graph, writer.n_papers, source, target, top_subfields(graph, *writer.about()))

    ids = graph.paper_ids
    assert set(ids) == set(year)
    assert {ids[n]: v for n, v in found.novelty.items()} == novelty
    assert {ids[n]: v for n, v in found.cd.items()} == cd
    ai = {ids[n]: (None if v < 0 else bool(v)) for n, v in enumerate(found.ai_work.tolist())}
    assert ai == {p: m.ai_work(categories.get(p, []), []) for p in year}
    assert {ids[n] for n, v in enumerate(found.novel.tolist()) if v == 1} == {p for p, v in novelty.items() if v.novel}
