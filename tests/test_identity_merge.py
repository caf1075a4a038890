"""Identity corrections on the real Neo4j: merge moves authorships, re-derives, redirects, and later loads obey."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from loader_helpers import count, rows
from sqlalchemy import select

from accounts.models import Account, Follow
from accounts.store import Store
from graph.db import Graph
from loaders import load_files
from loaders.corrections import IdentityError, merge, split

# "T. Cohen" shares no co-author, venue or topic with Taco Cohen: the loader keeps him apart (initials only
# attach on clear evidence), and an owner who knows better merges him.
RECORDS: list[dict[str, Any]] = [
    {"title": "Group equivariant networks", "year": 2016, "authors": ["Taco Cohen", "Max Welling"], "venue": "ICML"},
    {"title": "Gauge networks", "year": 2019, "authors": ["Taco Cohen", "Maurice Weiler"], "venue": "ICML"},
    {"title": "Spherical convolutions", "year": 2018, "authors": ["T. Cohen", "Mario Geiger", "Jonas Koehler"],
     "venue": "ICLR"},
    {"title": "Two Lis", "year": 2019, "authors": ["Jian Li", "Jun Li"]},
]


def load(db: Graph, tmp_path: Path) -> Path:
    path = tmp_path / "works.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    load_files(db, "works", [path], rejects=tmp_path / "rejects.jsonl", progress=False)
    return path


def author_of(db: Graph, byline: str, title: str) -> str:
    found = rows(db, "MATCH (a:Author)-[r:AUTHORED {byline: $byline}]->(:Paper {title: $title}) RETURN a.id AS id",
                 byline=byline, title=title)
    assert len(found) == 1, (byline, title, found)
    return str(found[0]["id"])


def expected_pairs(records: list[dict[str, Any]], same: dict[str, str]) -> dict[tuple[str, str], int]:
    """Joint works per pair of names, with the names in ``same`` counted as the name they map to."""
    pairs: dict[tuple[str, str], int] = {}
    for record in records:
        names = sorted({same.get(n, n) for n in record["authors"]})
        for a, b in combinations(names, 2):
            pairs[(a, b)] = pairs.get((a, b), 0) + 1
    return pairs


def coauthor_pairs(db: Graph) -> dict[tuple[str, str], int]:
    found = rows(db, "MATCH (a:Author)-[c:COAUTHOR]->(b:Author) RETURN a.id AS a, b.id AS b, c.works AS works")
    names = {r["id"]: r["name"] for r in rows(db, "MATCH (a:Author) RETURN a.id AS id, a.name AS name")}
    out = {}
    for r in found:
        key = (names[r["a"]], names[r["b"]])
        out[tuple(sorted(key))] = r["works"]
    return out  # type: ignore[return-value]


def test_merge_moves_authorships_and_recomputes_coauthors(db: Graph, tmp_path: Path) -> None:
    load(db, tmp_path)
    taco = author_of(db, "Taco Cohen", "Gauge networks")
    initials = author_of(db, "T. Cohen", "Spherical convolutions")
    assert taco != initials  # the precondition: the loader kept them apart
    edge_before = rows(db, "MATCH (:Author {id: $id})-[r:AUTHORED]->(p:Paper) RETURN p.title AS title, "
                           "r.position AS position, r.source AS source, r.byline AS byline", id=initials)

    result = merge(db, initials, taco)
    assert (result.source, result.survivor, result.moved, result.already) == (initials, taco, 1, False)

    # The edge moved with its position, source and byline as printed.
    moved = rows(db, "MATCH (:Author {id: $id})-[r:AUTHORED]->(p:Paper {title: 'Spherical convolutions'}) "
                     "RETURN p.title AS title, r.position AS position, r.source AS source, r.byline AS byline, "
                     "r.merged_from AS merged_from", id=taco)
    assert moved == [{**edge_before[0], "merged_from": initials}]
    # The old node is a redirect and nothing else.
    rels = rows(db, "MATCH (:Author {id: $id})-[r]-(other) RETURN type(r) AS type, other.id AS other, "
                    "startNode(r).id = $id AS out", id=initials)
    assert rels == [{"type": "MERGED_INTO", "other": taco, "out": True}]
    # Derived data: Taco's works and co-authors now include the Spherical paper, computed from the records.
    taco_records = [r for r in RECORDS if {"Taco Cohen", "T. Cohen"} & set(r["authors"])]
    assert count(db, "MATCH (a:Author {id: $id}) RETURN a.works_count", id=taco) == len(taco_records)
    expected = expected_pairs(RECORDS, {"T. Cohen": "Taco Cohen"})
    assert coauthor_pairs(db) == expected
    assert count(db, "MATCH (a:Author) WHERE a:Stale OR a:StaleCoauthors RETURN count(a)") == 0
    assert "T. Cohen" in rows(db, "MATCH (a:Author {id: $id}) RETURN a.name_variants AS v", id=taco)[0]["v"]

    # Idempotent: the same merge again changes nothing.
    again = merge(db, initials, taco)
    assert (again.moved, again.already) == (0, True)
    assert coauthor_pairs(db) == expected


def test_a_second_load_after_a_merge_does_not_bring_the_merged_person_back(db: Graph, tmp_path: Path) -> None:
    path = load(db, tmp_path)
    taco = author_of(db, "Taco Cohen", "Gauge networks")
    initials = author_of(db, "T. Cohen", "Spherical convolutions")
    merge(db, initials, taco)
    authors_before = count(db, "MATCH (a:Author) RETURN count(a)")
    edges_before = count(db, "MATCH ()-[r:AUTHORED]->() RETURN count(r)")

    load_files(db, "works", [path], rejects=tmp_path / "rejects.jsonl", progress=False)
    # A new paper by "T. Cohen" with his old co-author is evidence for the merged-away person: it goes to Taco.
    later = tmp_path / "later.jsonl"
    later.write_text(json.dumps({"title": "Steerable kernels", "year": 2021, "venue": "ICLR",
                                 "authors": ["T. Cohen", "Mario Geiger"]}) + "\n", encoding="utf-8")
    load_files(db, "works", [later], rejects=tmp_path / "rejects.jsonl", progress=False)

    assert count(db, "MATCH (a:Author) RETURN count(a)") == authors_before
    assert count(db, "MATCH ()-[r:AUTHORED]->() RETURN count(r)") == edges_before + 2
    assert count(db, "MATCH (:Author {id: $id})-[r]-() WHERE NOT r:MERGED_INTO RETURN count(r)", id=initials) == 0
    assert author_of(db, "T. Cohen", "Spherical convolutions") == taco
    assert author_of(db, "T. Cohen", "Steerable kernels") == taco
    assert count(db, "MATCH (a:Author {id: $id}) RETURN a.works_count", id=taco) == 4


def test_merging_two_authors_of_one_paper_is_refused(db: Graph, tmp_path: Path) -> None:
    load(db, tmp_path)
    jian = author_of(db, "Jian Li", "Two Lis")
    jun = author_of(db, "Jun Li", "Two Lis")
    before = rows(db, "MATCH (a:Author)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b ORDER BY a, t, b")
    with pytest.raises(IdentityError, match=r"both authors of 1 paper.*never one person"):
        merge(db, jun, jian)
    assert rows(db, "MATCH (a:Author)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b ORDER BY a, t, b") == before
    with pytest.raises(IdentityError, match="no author has the id 'name:nobody_x'"):
        merge(db, "name:nobody_x", jian)
    with pytest.raises(IdentityError, match="into itself"):
        merge(db, jian, jian)


def test_merged_ids_redirect_for_the_api_and_the_page_following_chains(db: Graph, client: Any,
                                                                        tmp_path: Path) -> None:
    load(db, tmp_path)
    taco = author_of(db, "Taco Cohen", "Gauge networks")
    initials = author_of(db, "T. Cohen", "Spherical convolutions")
    welling = author_of(db, "Max Welling", "Group equivariant networks")
    merge(db, initials, taco)

    answer = client.get(f"/api/authors/{quote(initials, safe='')}")
    assert answer.status_code == 301
    assert client.get(answer.headers["Location"]).get_json()["id"] == taco
    works = client.get(f"/api/authors/{quote(initials, safe='')}/works?limit=2")
    assert works.status_code == 301
    assert works.headers["Location"].endswith("/works?limit=2")
    assert client.get(works.headers["Location"]).status_code == 200
    for suffix in ("neighbourhood", "recommendations", "trust"):
        moved = client.get(f"/api/authors/{quote(initials, safe='')}/{suffix}")
        assert moved.status_code == 301, suffix
        assert taco in moved.headers["Location"] or quote(taco, safe="") in moved.headers["Location"]
    page = client.get(f"/author/{quote(initials, safe='')}")
    assert (page.status_code, page.headers["Location"]) == (301, f"/author/{quote(taco, safe='')}")
    # Ids that were never merged answer as before.
    assert client.get(f"/api/authors/{quote(taco, safe='')}").status_code == 200
    assert client.get(f"/author/{quote(taco, safe='')}").status_code == 200

    # A chain (a test of the mechanism, not of these people): Weiler -> Welling -> Geiger; the oldest id
    # leads to the end. Taco and Welling share a paper, so that merge is refused.
    with pytest.raises(IdentityError, match="never one person"):
        merge(db, taco, welling)
    weiler = author_of(db, "Maurice Weiler", "Gauge networks")
    geiger = author_of(db, "Mario Geiger", "Spherical convolutions")
    merge(db, weiler, welling)
    assert merge(db, welling, geiger).survivor == geiger
    page = client.get(f"/author/{quote(weiler, safe='')}")
    assert (page.status_code, page.headers["Location"]) == (301, f"/author/{quote(geiger, safe='')}")
    # Merging into a merged-away id lands on the end of its chain.
    jun = author_of(db, "Jun Li", "Two Lis")
    assert merge(db, jun, weiler).survivor == geiger


def paper_id(db: Graph, title: str) -> str:
    return str(rows(db, "MATCH (p:Paper {title: $title}) RETURN p.id AS id", title=title)[0]["id"])


def test_split_moves_papers_to_a_new_person_and_later_loads_keep_them_apart(db: Graph, tmp_path: Path) -> None:
    path = load(db, tmp_path)
    taco = author_of(db, "Taco Cohen", "Gauge networks")
    gauge = paper_id(db, "Gauge networks")
    block_ids = {r["id"] for r in rows(db, "MATCH (a:Author {block: 'name:cohen_t'}) RETURN a.id AS id")}
    edge = rows(db, "MATCH (:Author {id: $id})-[r:AUTHORED]->(:Paper {id: $paper}) RETURN r.position AS position, "
                    "r.source AS source, r.byline AS byline", id=taco, paper=gauge)

    result = split(db, taco, [gauge])
    assert result.person is not None and result.person not in block_ids and result.person.startswith("name:cohen_t")
    assert result.moved == 1
    person = result.person
    assert author_of(db, "Taco Cohen", "Gauge networks") == person
    assert rows(db, "MATCH (:Author {id: $id})-[r:AUTHORED]->(:Paper {id: $paper}) RETURN r.position AS position, "
                    "r.source AS source, r.byline AS byline", id=person, paper=gauge) == edge
    assert rows(db, "MATCH (a:Author {id: $id}) RETURN a.name AS name", id=person) == [{"name": "Taco Cohen"}]
    # Co-authors and counts follow, computed from the records with the Gauge paper's "Taco Cohen" renamed.
    records = [dict(r, authors=["Taco Cohen 2" if (r["title"] == "Gauge networks" and n == "Taco Cohen") else n
                                for n in r["authors"]]) for r in RECORDS]
    names = {taco: "Taco Cohen", person: "Taco Cohen 2"}
    pairs = {tuple(sorted(names.get(i, n) for i, n in ((r["a"], r["an"]), (r["b"], r["bn"])))): r["works"]
             for r in rows(db, "MATCH (a:Author)-[c:COAUTHOR]->(b:Author) RETURN a.id AS a, a.name AS an, "
                               "b.id AS b, b.name AS bn, c.works AS works")}
    assert pairs == expected_pairs(records, {})
    assert count(db, "MATCH (a:Author {id: $id}) RETURN a.works_count", id=taco) == 1
    assert count(db, "MATCH (a:Author {id: $id}) RETURN a.works_count", id=person) == 1

    # Stored: a re-load keeps the split, and the same split again changes nothing.
    authors_before = count(db, "MATCH (a:Author) RETURN count(a)")
    load_files(db, "works", [path], rejects=tmp_path / "rejects.jsonl", progress=False)
    assert count(db, "MATCH (a:Author) RETURN count(a)") == authors_before
    assert author_of(db, "Taco Cohen", "Gauge networks") == person
    assert author_of(db, "Taco Cohen", "Group equivariant networks") == taco
    assert split(db, taco, [gauge]).person is None
    with pytest.raises(IdentityError, match="is not an author of work:nothing"):
        split(db, taco, ["work:nothing"])
    with pytest.raises(IdentityError, match="nothing would be left"):
        split(db, taco, [paper_id(db, "Group equivariant networks")])


def test_the_command_line_merges_and_says_why_it_refuses(db: Graph, tmp_path: Path, neo4j_config: Any,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from loaders.__main__ import main

    load(db, tmp_path)
    for key, value in (("NEO4J_URI", neo4j_config.uri), ("NEO4J_USER", neo4j_config.user),
                       ("NEO4J_PASSWORD", neo4j_config.password), ("NEO4J_DATABASE", neo4j_config.database)):
        monkeypatch.setenv(key, value)
    jian, jun = author_of(db, "Jian Li", "Two Lis"), author_of(db, "Jun Li", "Two Lis")
    assert main(["identity", "merge", jun, jian]) == 1
    assert "never one person" in capsys.readouterr().err
    taco = author_of(db, "Taco Cohen", "Gauge networks")
    initials = author_of(db, "T. Cohen", "Spherical convolutions")
    # Someone follows the initials' profile: the follow moves with the merge (accounts/merges.py).
    store = Store(f"sqlite:///{tmp_path / 'accounts.sqlite3'}")
    store.migrate()
    with store.tx() as s:
        reader = Account(email="reader@example.org", name="Reader", password_hash="-", email_verified=True)
        s.add(reader)
        s.flush()
        s.add(Follow(account_id=reader.id, author_id=initials))
    monkeypatch.setenv("PEERGRAPH_ACCOUNTS_URL", f"sqlite:///{tmp_path / 'accounts.sqlite3'}")
    assert main(["identity", "merge", initials, taco]) == 0
    assert capsys.readouterr().out.strip().splitlines() == [
        f"merged {initials} into {taco}: 1 authorship(s) moved",
        "accounts: 1 follow(s), 0 open claim(s), 0 watch(es), 0 invitation(s) and 0 merge request(s) moved to the "
        "surviving id"]
    with store.tx() as s:
        assert list(s.scalars(select(Follow.author_id))) == [taco]
    store.close()
