"""COAUTHOR kept in step by the batched writer: the pure pair functions, and loads against the real Neo4j.

Expected pairs are recomputed here with plain Python (itertools.combinations over
each paper's final author set) from the records, never read from the writer's
own row builders.
"""

from __future__ import annotations

import json
import random
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from bench import synth
from graph.db import Graph
from loaders import derive, load_files, works
from loaders.rows import chunks, coauthor_increments, coauthor_rows, cypher_order
from tests.loader_helpers import checksum, count, pair_stats, rows, top_coauthors

# -- pure functions ------------------------------------------------------------------------------------


def test_increments_count_a_paper_for_pairs_with_a_new_authorship() -> None:
    found = coauthor_increments([(["c", "a", "b"], {"c"}, 2020), (["a", "b", "d"], {"a", "b", "d"}, None)])
    assert found == {("a", "c"): [1, 2020, 2020], ("b", "c"): [1, 2020, 2020], ("a", "b"): [1, None, None],
                     ("a", "d"): [1, None, None], ("b", "d"): [1, None, None]}


def test_increments_match_combinations_over_random_papers() -> None:
    rng = random.Random(7)
    people = [f"name:p{i:03d}" for i in range(60)]
    papers = [(rng.sample(people, rng.randint(1, 9)), rng.choice([None, *range(1990, 2025)])) for _ in range(400)]
    expected: dict[tuple[str, str], list[Any]] = {}
    for authors, year in papers:
        for a, b in combinations(sorted(authors), 2):
            entry = expected.setdefault((a, b), [0, None, None])
            entry[0] += 1
            if year is not None:
                entry[1] = year if entry[1] is None else min(entry[1], year)
                entry[2] = year if entry[2] is None else max(entry[2], year)
    assert coauthor_increments((authors, set(authors), year) for authors, year in papers) == expected


def test_pairs_are_ordered_as_cypher_orders_strings() -> None:
    # Cypher compares UTF-16 code units: U+10000 (D800 DC00) sorts before U+FFFF, unlike Python's str.
    high, low = "name:\U00010000", "name:\uffff"
    assert cypher_order(high) < cypher_order(low)
    assert list(coauthor_increments([([low, high], {low}, 2000)])) == [(high, low)]


def test_rows_pick_create_check_or_merge_from_the_degrees() -> None:
    pairs = {("a", "new"): [1, 2000, 2000], ("a", "b"): [2, 1999, 2001], ("hub", "x"): [1, 2000, 2000]}
    degrees = {"a": (3, 0), "new": (0, 0), "b": (0, 5), "hub": (5000, 10), "x": (1, 1)}
    eids = {k: f"e-{k}" for k in degrees}
    out = coauthor_rows(pairs, degrees, eids)
    assert out.create == [{"a": "e-a", "b": ["e-new"], "works": [1], "first": [2000], "last": [2000]}]
    assert out.check == [{"a": "e-a", "b": ["e-b"], "works": [2], "first": [1999], "last": [2001]}]
    # One pair of a hub with 5,000 outgoing pairs: one MERGE check (scanning x's 1) beats reading 5,000.
    assert out.merge == [{"a": "e-hub", "b": ["e-x"], "works": [1], "first": [2000], "last": [2000]}]


def test_chunks_by_rows_and_by_list_items() -> None:
    data = [{"b": [0] * n} for n in (3, 1, 4, 1, 5)]
    assert [len(c) for c in chunks(data, 2)] == [2, 2, 1]
    assert [[len(r["b"]) for r in c] for c in chunks(data, 4, "b")] == [[3, 1], [4], [1, 5]]


# -- against the real Neo4j ------------------------------------------------------------------------------

def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _expected(db: Graph, files: list[list[dict[str, Any]]],
              max_authors: int) -> tuple[dict[tuple[str, str], list], int]:
    """COAUTHOR rows and AUTHORED count after loading ``files`` in order (records keyed by arXiv id or DOI).

    Name-only authors are disambiguated into people (``docs/identity.md``): who a byline is comes from the
    graph's own AUTHORED edges, checked here against the records (every paper, and as many authorships as
    the records give it); the years and author counts that decide the pairs come from the records.
    """
    papers: dict[str, dict[str, Any]] = {}
    for records in files:
        for record in records:
            key = record.get("arxiv_id") or record["doi"].lower()
            paper = papers.setdefault(key, {"authors": 0, "year": None, "count": 0})
            # One person per authorship the parser keeps: two spellings of one block on a paper ("H. Li",
            # "Hao Li" among 600 authors) are two people (the same-paper rule), a record given again adds none.
            paper["authors"] = max(paper["authors"], len(works.parse(record).authors))
            paper["year"] = record.get("year") or paper["year"]
            paper["count"] = max(paper["count"], len(record["authors"]))
    found = {r["key"]: r["ids"] for r in rows(
        db, "MATCH (a:Author)-[:AUTHORED]->(p:Paper) "
            "RETURN coalesce(p.arxiv_id, toLower(p.doi)) AS key, collect(DISTINCT a.id) AS ids")}
    assert set(found) == set(papers)
    assert {k: len(ids) for k, ids in found.items()} == {k: p["authors"] for k, p in papers.items()}
    keyed = [(sorted(found[k]), p["year"], p["count"]) for k, p in papers.items()]
    return pair_stats(keyed, max_authors=max_authors), sum(len(ids) for ids in found.values())


def _coauthors(db: Graph) -> dict[tuple[str, str], list]:
    found = rows(db, "MATCH (a:Author)-[c:COAUTHOR]->(b:Author) "
                     "RETURN a.id AS a, b.id AS b, c.works AS works, c.first_year AS first, c.last_year AS last")
    assert all(r["a"] < r["b"] for r in found), "COAUTHOR goes from the smaller id to the larger"
    return {(r["a"], r["b"]): [r["works"], r["first"], r["last"]] for r in found}


def _tops(db: Graph) -> dict[str, tuple[list[str], list[int]]]:
    found = rows(db, "MATCH (a:Author) WHERE a.top_coauthors IS NOT NULL "
                     "RETURN a.id AS id, a.top_coauthors AS top, a.top_coauthor_stats AS stats")
    return {r["id"]: (r["top"], r["stats"]) for r in found}


def test_second_list_adds_authors_to_papers_already_loaded(db: Graph, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Papers already in the graph gain authors from a second list: pairs with the authors that were there.

    The second file also moves a paper's year, pushes one paper over the COAUTHOR limit,
    and holds one record twice; batches are small, so pairs cross batch boundaries. The ranked
    top co-authors (kept here from 4 co-authors on, 3 of them) follow every change.
    """
    monkeypatch.setattr(derive, "TOP_COAUTHORS_MIN_DEGREE", 3)
    monkeypatch.setattr(derive, "TOP_COAUTHORS", 3)
    limit = 8
    records = list(synth.records(420, seed=5))
    records = [r for r in records if 2 <= len(r["authors"]) <= limit]
    first, second = [], []
    for i, record in enumerate(records[:300]):
        cut = dict(record, authors=record["authors"][:-1]) if i % 3 == 0 else record
        first.append(cut)
    for i, record in enumerate(records[200:], start=200):
        record = dict(record)
        if i == 201:
            record["year"] = record["year"] + 1
            record.pop("date", None)
        if i == 202:  # over the limit now: its pairs go
            record["authors"] = record["authors"] + [{"name": f"Extra Person{n}"} for n in range(limit)]
        second.append(record)
    second.append(second[5])
    file1, file2 = _write(tmp_path / "one.jsonl", first), _write(tmp_path / "two.jsonl", second)

    for n, path in enumerate((file1, file2), start=1):
        summary = load_files(db, "works", [path], rejects=tmp_path / "r.jsonl", batch_size=37, progress=False,
                             max_coauthor_authors=limit)
        assert summary.read == summary.written + summary.merged + summary.rejected
        assert summary.rejected == 0
        pairs, authored = _expected(db, [first, second][:n], limit)
        assert _coauthors(db) == pairs
        expected = top_coauthors(pairs, 3, 3)
        assert len(expected) > 10 and _tops(db) == expected
    assert count(db, "MATCH (:Author)-[r:AUTHORED]->(:Paper) RETURN count(r)") == authored
    assert count(db, "MATCH (a:Author) RETURN sum(a.works_count)") == authored
    assert count(db, "MATCH (n) WHERE n:Stale OR n:StaleCoauthors RETURN count(n)") == 0

    before = checksum(db)
    load_files(db, "works", [file2], rejects=tmp_path / "r.jsonl", batch_size=500, progress=False,
               max_coauthor_authors=limit)
    assert checksum(db) == before, "loading a file again changes nothing"


def test_one_big_batch_equals_many_small_ones(db: Graph, tmp_path: Path) -> None:
    """The same corpus in one batch and in batches of 7 gives the same graph: the same people too, since a
    load decides them all before its first write (loaders.people.Plan)."""
    path = _write(tmp_path / "c.jsonl", list(synth.records(250, seed=11)))
    load_files(db, "works", [path], rejects=tmp_path / "r.jsonl", batch_size=7, progress=False)
    small = checksum(db)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    pairs, _ = _expected(db, [records], 100)
    assert _coauthors(db) == pairs
    from graph.db import run_autocommit

    run_autocommit(db, "maintenance/delete_all")
    load_files(db, "works", [path], rejects=tmp_path / "r.jsonl", batch_size=10_000, progress=False)
    assert checksum(db) == small


def test_slices_read_the_ranked_co_authors_as_the_relationships_rank_them(db: Graph, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A slice's co-authors come from the kept ranking when it covers the cap, else from the relationships:
    both give the strongest co-authors the records say, and removing the ranking changes no slice."""
    from graph.neighbourhood import neighbourhood

    monkeypatch.setattr(derive, "TOP_COAUTHORS_MIN_DEGREE", 3)
    monkeypatch.setattr(derive, "TOP_COAUTHORS", 4)
    records = list(synth.records(300, seed=3))
    path = _write(tmp_path / "c.jsonl", records)
    load_files(db, "works", [path], rejects=tmp_path / "r.jsonl", progress=False)
    pairs, _ = _expected(db, [records], 100)
    expected = top_coauthors(pairs, 3, 4)
    assert _tops(db) == expected
    hubs = sorted(expected, key=lambda a: -len([p for p in pairs if a in p]))[:12]
    stats = {(a, b): s for (x, y), s in pairs.items() for a, b in ((x, y), (y, x))}

    def slices() -> list[tuple]:
        out = []
        for author in hubs:
            for people, depth in ((3, 1), (4, 2), (6, 1)):   # within the kept 4, and beyond (the relationships)
                s = neighbourhood(db, author, depth=depth, caps={"author": people})
                out.append((sorted((n.id, n.ring, n.parent) for n in s.nodes),
                            sorted((e.id, e.weight) for e in s.edges),
                            sorted((m.node_id, m.key, m.shown, m.total) for m in s.more)))
                if depth == 1:
                    shown = {n.id for n in s.nodes if n.type == "author" and n.id != author}
                    ranked = sorted((b for (a, b) in stats if a == author),
                                    key=lambda b: (-stats[author, b][0], -(stats[author, b][2] or 0), b))
                    assert shown == set(ranked[:people])
        return out

    with_ranking = slices()
    db.driver.execute_query("MATCH (a:Author) REMOVE a.top_coauthors, a.top_coauthor_stats", database_=db.database)
    assert _tops(db) == {}
    assert slices() == with_ranking
