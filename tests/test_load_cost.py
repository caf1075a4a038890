"""The fixed cost of a load (issue 10): the schema checked, not re-created; derived data and the metrics pass
once per row of loads; the pass skipped when nothing it reads changed, and run, exactly, when something did."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from graph.db import Graph, run_autocommit
from graph.schema import declared, ensure_schema
from loaders import load_files
from loaders.metrics import derive_metrics
from loaders.sample import load_sample, sample_paths
from tests.loader_helpers import count, graph_state, rows, state_differences


def _index_names(db: Graph) -> set[str]:
    return {r["name"] for r in rows(db, "SHOW INDEXES YIELD name RETURN name")}


def test_a_missing_constraint_and_index_come_back_with_the_next_load(db: Graph, tmp_path: Path) -> None:
    names = {name for name, _, _ in declared()}
    assert {"paper_id", "paper_year", "paper_titles", "pending_citation_id"} <= names
    assert ensure_schema(db) == []  # the session made them: nothing to create
    try:
        for statement in ("DROP CONSTRAINT paper_id", "DROP INDEX paper_year", "DROP INDEX paper_titles"):
            run_autocommit_text(db, statement)
        assert not {"paper_id", "paper_year", "paper_titles"} & _index_names(db)
        path = tmp_path / "one.jsonl"
        path.write_text(json.dumps({"title": "A paper", "authors": ["Ada Lovelace"], "year": 1843}) + "\n",
                        encoding="utf-8")
        load_files(db, "works", [path], rejects=tmp_path / "r.jsonl", progress=False)
        assert names <= _index_names(db)
        unique = {r["name"] for r in rows(db, "SHOW CONSTRAINTS YIELD name, type WHERE type = 'UNIQUENESS' "
                                              "RETURN name")}
        assert "paper_id" in unique
        assert ensure_schema(db) == []
    finally:
        ensure_schema(db)


def run_autocommit_text(db: Graph, statement: str) -> None:
    # Schema commands cannot run in a transaction function; this test's DROPs are not queries of the app.
    with db.driver.session(database=db.database) as session:
        session.run(statement).consume()  # type: ignore[arg-type]


# -- the metrics pass: skipped when nothing it reads changed, exact when something did ----------------------------

# CONSTRUCTED Paperscape records: five 2007 papers of five fields, a 2008 paper citing all five (eligible for
# novelty), five 2009 papers citing the first 2007 one and, when ``cited``, the 2008 one too (which gives it
# the five citing papers CD needs). One of those is cross-listed cs.LG, so that topic is there from the start.
FIELDS = ("hep-th", "cond-mat.str-el", "math.AG", "q-bio.NC", "astro-ph")


def _constructed(tmp_path: Path, name: str, *, cited: bool, crosslisted: bool = False) -> Path:
    old = [f"0701.{n:04d}" for n in range(1, 6)]
    lines = [f"{paper};{field};0;0;;A.Older{n};Old paper {n}" for n, (paper, field) in enumerate(zip(old, FIELDS,
                                                                                                     strict=True))]
    lines.append(f"0801.0001;hep-ph{',cs.LG' if crosslisted else ''};5;5;{','.join(old)};F.Focal;The focal paper")
    for n in range(1, 6):
        refs = [old[0], "0801.0001"] if cited else [old[0]]
        fields = "gr-qc,cs.LG" if n == 5 else "gr-qc"
        lines.append(f"0901.{n:04d};{fields};{len(refs)};{len(refs)};{','.join(refs)};C.Citer{n};Citing paper {n}")
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _metrics(db: Graph) -> dict[str, tuple[Any, ...]]:
    return {r["id"]: (r["ai"], r["p10"], r["cd"]) for r in rows(
        db, "MATCH (p:Paper) RETURN p.id AS id, p.ai_work AS ai, p.novelty_p10 AS p10, p.cd_index AS cd")}


def _marks(db: Graph) -> int:
    return count(db, "MATCH (n:StaleMetrics) RETURN count(n)")


def test_metrics_pass_runs_exactly_when_what_it_reads_changed(db: Graph, tmp_path: Path) -> None:
    """The same papers three times: then new CITES between papers already loaded (no new node), then a cs.LG
    cross-list (categories only); each changes some paper's metrics and leaves marks that make the pass run."""
    first = _constructed(tmp_path, "first.csv", cited=False)
    cited = _constructed(tmp_path, "cited.csv", cited=True)
    crosslisted = _constructed(tmp_path, "cross.csv", cited=True, crosslisted=True)
    load_files(db, "paperscape", [first], rejects=tmp_path / "r.jsonl", progress=False)
    assert _marks(db) == 0, "the load's own pass clears the marks"
    nodes = count(db, "MATCH (n) RETURN count(n)")
    before = _metrics(db)

    assert before["arxiv:0801.0001"][1] is not None and before["arxiv:0801.0001"][2] is None  # novelty, no CD
    for path in (cited, crosslisted):
        load_files(db, "paperscape", [path], rejects=tmp_path / "r.jsonl", progress=False, derive="touched")
        assert count(db, "MATCH (n) RETURN count(n)") == nodes, "no new node: only edges or categories changed"
        assert _marks(db) > 0
        done = derive_metrics(db)
        assert not done.skipped and done.papers_written > 0
        after = _metrics(db)
        assert after != before, "the change moved some paper's metrics"
        assert _marks(db) == 0
        assert derive_metrics(db, force=True).papers_written == 0, "the stored figures are the from-scratch ones"
        before = after

    # Loaded again, it changes nothing the pass reads: no mark, and the pass is a label count.
    load_files(db, "paperscape", [crosslisted], rejects=tmp_path / "r.jsonl", progress=False, derive="touched")
    assert _marks(db) == 0
    assert derive_metrics(db).skipped
    assert _metrics(db) == before
    assert before["arxiv:0801.0001"][0] is True and before["arxiv:0801.0001"][2] is not None


# -- the sample: derived once after its last file, the same graph as deriving after each -------------------------

def _cut(tmp_path: Path) -> list[tuple[str, Path]]:
    """CONSTRUCTED cuts of the four sample files (same names, so the seed list keeps its owner): the seed list,
    25 arXiv metadata records, their abs records and 15 others, 30 OpenAlex works; about 120 records."""
    folder = tmp_path / "cut"
    folder.mkdir()
    out = []
    kept: set[str] = set()
    for source, path in sample_paths():
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
            records = [line for line in handle if line.strip()]
        if path.name.startswith("arxiv-metadata"):
            records = records[:25]
            kept = {json.loads(line)["id"] for line in records}
        elif path.name.startswith("arxiv-abs"):
            records = [line for line in records if json.loads(line)["id"] in kept] + \
                [line for line in records if json.loads(line)["id"] not in kept][:15]
        elif source == "openalex":
            records = records[:30]
        target = folder / path.name.removesuffix(".gz")
        target.write_text("".join(records), encoding="utf-8")
        out.append((source, target))
    return out


def test_the_sample_derived_once_equals_the_sample_derived_after_each_file(db: Graph, tmp_path: Path) -> None:
    files = _cut(tmp_path)
    for source, path in files:
        load_files(db, source, [path], rejects=tmp_path / "each.jsonl", progress=False,
                   owner="Mario Geiger" if path.name == "geiger-works.jsonl" else None)
    each = graph_state(db)
    run_autocommit(db, "maintenance/delete_all")
    summaries = load_sample(db, progress=False, rejects_dir=tmp_path / "once", files=files)
    once = graph_state(db)
    assert len(summaries) == 4 and (summaries[-1].derived_authors or 0) > 0
    assert [s.derived_authors for s in summaries[:-1]] == [None] * 3
    assert all("derived data after the last file" in s.line() for s in summaries[:-1])
    assert count(db, "MATCH (n) WHERE n:Stale OR n:StaleCoauthors OR n:StaleMetrics RETURN count(n)") == 0
    assert len(each[0]) > 200 and len(each[1]) > 500
    assert state_differences(once, each) == [] and once == each
