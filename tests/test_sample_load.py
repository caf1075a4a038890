"""The bundled sample's load: what it keeps (papers without authors) and the rejects file it names.

The load here is the run's first load of the sample (``sample_load``, tests/conftest.py): the modules that
only read the sample run after it, on the graph it leaves.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

from loader_helpers import count

from graph.db import Graph
from loaders import LoadSummary
from loaders.sample import SAMPLE_DIR


def _short(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def test_sample_keeps_papers_without_authors_and_its_rejects_file(
        sample_load: Callable[[Path], list[LoadSummary]], db: Graph, tmp_path: Path) -> None:
    """The rejects file the summary names outlives the load; works without authors are papers."""
    with gzip.open(SAMPLE_DIR / "openalexpro-works.raw.jsonl.gz", "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    untitled = [r for r in records if not (r.get("title") or r.get("display_name"))]
    authorless = [r for r in records if not r.get("authorships") and r not in untitled]
    assert (len(untitled), len(authorless)) == (1, 22)  # SOURCES.md and the issue
    summaries = sample_load(tmp_path / "rejects")
    by_file = {Path(s.files[0]).name: s for s in summaries}
    openalex = by_file["openalexpro-works.raw.jsonl.gz"]
    assert (openalex.rejected, openalex.without_authors) == (len(untitled), len(authorless))
    for summary in summaries:
        for name in summary.rejects_files:
            assert Path(name).parent == tmp_path / "rejects" and name in summary.line()
            assert len(Path(name).read_text(encoding="utf-8").splitlines()) == summary.rejected
    # Each author-less work is a Paper with its topics, and without AUTHORED edges.
    for record in authorless[:5]:
        oid = _short(record["id"])
        assert count(db, "MATCH (p:Paper {openalex_id: $id}) WHERE NOT (p)<-[:AUTHORED]-() RETURN count(p)",
                     id=oid) == 1
        topics = {_short(t["id"]) for t in record.get("topics") or []}
        assert count(db, "MATCH (p:Paper {openalex_id: $id})-[:ABOUT]->(t:Topic) WHERE t.id IN $topics "
                         "RETURN count(t)", id=oid, topics=sorted(f"openalex:{t}" for t in topics)) == len(topics)
