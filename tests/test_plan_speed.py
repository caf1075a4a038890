"""The transactional load's speed-ups change nothing it does: records kept by the plan pass are written as a
fresh read would write them, an empty graph is planned without look-ups, and the people decided on several
cores are those decided in one."""

from __future__ import annotations

import copy
import json
import threading
from pathlib import Path

import pytest
from identity_helpers import choose_library, python_clustering

import loaders
from graph.db import Graph, run_autocommit
from loaders import SOURCES, LoadSummary, _batches, _Budget, _parsed_batches, load_files, plan_pass
from loaders.bulk import plan as bulk_plan
from loaders.people import Plan
from loaders.reader import Source
from loaders.rejects import RejectLog
from loaders.writer import graph_empty, plan_decide

GOOD = [
    {"title": "e3nn", "year": 2022, "authors": ["Mario Geiger", "Tess Smidt"], "doi": "10.1/a"},
    {"title": "Gauge", "year": 2019, "authors": ["Taco S. Cohen", "M. Geiger"], "doi": "10.1/b"},
    {"title": "Pion", "year": 1995, "authors": ["T. D. Cohen", "R. Lebed"], "doi": "10.1/c"},
    {"title": "Spheres", "year": 2018, "authors": ["Taco Cohen", "Mario Geiger"], "doi": "10.1/d"},
    {"title": "e3nn", "year": 2022, "authors": ["Mario Geiger", "Tess Smidt"], "doi": "10.1/a"},
]


def _file(tmp_path: Path) -> Path:
    """The good records with a line that is no JSON and a record without a title between them."""
    lines = [json.dumps(r) for r in GOOD[:2]] + ["{not json", json.dumps({"authors": ["A. B"]})]
    lines += [json.dumps(r) for r in GOOD[2:]]
    path = tmp_path / "works.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _batched(path: Path, kept: bool, tmp_path: Path) -> tuple[list[list[str]], list[int], str, LoadSummary]:
    fmt = SOURCES["works"]
    summary = LoadSummary("works")
    log = RejectLog(tmp_path / f"rejects-{kept}.jsonl")
    reader = Source(path)
    try:
        if kept:
            entries = plan_pass(fmt, [path], None, keep=100)[1][0]
            assert entries is not None
            batches = list(_batches(entries, path, log, summary, _Budget(2, 50_000), 50))
        else:
            batches = list(_parsed_batches(fmt, reader, path, log, summary, _Budget(2, 50_000), 50))
    finally:
        reader.close()
        log.close()
    titles = [[w.title or "" for w in batch] for batch, _ in batches]
    return titles, [now for _, now in batches], log.path.read_text(encoding="utf-8"), summary


def test_records_kept_by_the_plan_are_written_as_a_fresh_read(tmp_path: Path) -> None:
    path = _file(tmp_path)
    fresh = _batched(path, False, tmp_path)
    kept = _batched(path, True, tmp_path)
    titles = [r["title"] for r in GOOD]
    assert fresh[0] == kept[0] == [titles[0:2], titles[2:4], titles[4:5]]
    assert fresh[1] == kept[1] and kept[1][-1] == path.stat().st_size
    assert fresh[2] == kept[2] and len(kept[2].splitlines()) == 2  # the two bad records, logged alike
    assert (fresh[3].read, fresh[3].rejected) == (kept[3].read, kept[3].rejected) == (7, 2)


def test_the_plan_keeps_no_more_records_than_asked(tmp_path: Path) -> None:
    path = _file(tmp_path)
    second = tmp_path / "more.jsonl"
    second.write_text(json.dumps(GOOD[0]) + "\n", encoding="utf-8")
    _, kept = plan_pass(SOURCES["works"], [path, second], None, keep=7)
    assert kept[0] is not None and len(kept[0]) == 7 and kept[1] is None  # the bound is reached: read again
    _, kept = plan_pass(SOURCES["works"], [path, second], None, keep=6)
    assert kept == [None, None]


def test_an_empty_graph_is_planned_without_look_ups_and_loads_the_same(db: Graph, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    assert graph_empty(db)
    path = _file(tmp_path)
    summary = load_files(db, "works", [path], rejects=tmp_path / "rejects.jsonl", batch_size=2, progress=False)
    assert (summary.read, summary.written, summary.merged, summary.rejected) == (7, 4, 1, 2)
    assert not graph_empty(db)
    fast = _authorships(db)
    taco = {a for t, a in fast if t in ("Gauge", "Spheres") and "cohen" in a}
    thomas = {a for t, a in fast if t == "Pion" and "cohen" in a}
    assert len(taco) == 1 and len(thomas) == 1 and taco != thomas
    # The same load planned as into a graph that holds something (identifier look-ups, known people read,
    # one process): the same authorships.
    run_autocommit(db, "maintenance/delete_all")
    monkeypatch.setattr(loaders, "graph_empty", lambda _db: False)
    load_files(db, "works", [path], rejects=tmp_path / "rejects2.jsonl", batch_size=2, progress=False)
    assert _authorships(db) == fast


def _authorships(db: Graph) -> list[tuple[str, str]]:
    records, _, _ = db.driver.execute_query(
        "MATCH (a:Author)-[:AUTHORED]->(p:Paper) RETURN p.title AS title, a.id AS author ORDER BY title, author",
        database_=db.database)
    return [(r["title"], r["author"]) for r in records]


@pytest.mark.parametrize("library", ["native", "python"])
def test_plan_decide_on_several_cores_gives_the_people_of_one(monkeypatch: pytest.MonkeyPatch, library: str) -> None:
    """Without the native library the blocks are shared out to forked workers; with it, to its threads."""
    from bench import synth
    from loaders import works
    from loaders.rows import KeyMap, assign_ids

    groups = bulk_plan.groups
    one = Plan()
    keys: KeyMap = {}
    records = [works.parse(json.loads(line)) for line in synth.Corpus(300, 5).lines()]
    ids, _ = assign_ids(records, {}, keys)
    one.add(records, ids)
    two = copy.deepcopy(one)
    with python_clustering():
        one.decide({})
    choose_library(monkeypatch, library)
    monkeypatch.setattr(bulk_plan, "PARALLEL_MIN_MENTIONS", 0)
    monkeypatch.setattr(bulk_plan, "cores", lambda: 2)
    forks = []
    monkeypatch.setattr(bulk_plan, "groups", lambda found, workers: forks.append(workers) or groups(found, workers))
    # A test worker runs threads of its own (the servers' watchdog): plan_decide would then stay in one process.
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    plan_decide(None, two)
    # Two workers, each given its groups; none with the library (its threads share out the blocks).
    assert forks == ([2 * bulk_plan.GROUPS_PER_WORKER] if library == "python" else [])
    assert two.person == one.person and len(one.person) == 300
