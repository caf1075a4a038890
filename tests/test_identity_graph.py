"""Disambiguation in the transactional loader, on the real Neo4j: the sample, later loads, stable ids."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from conftest import shared_file
from loader_helpers import count, rows

from graph import authors
from graph.db import Graph, run_autocommit
from loaders import load_files
from loaders import people as people_module


def cohen_lines() -> list[str]:
    """The real Paperscape lines (1992-1996) that name T.D.Cohen, the nuclear physicist."""
    found = []
    for year in range(1992, 1997):
        with gzip.open(shared_file("paperscape", f"pscp-{year}.csv.gz"), "rt", encoding="utf-8") as fh:
            found.extend(line for line in fh if not line.startswith("#") and "T.D.Cohen" in line)
    return found


def test_sample_geiger_collaborates_with_taco_cohen_not_thomas_d_cohen(sample_extended: Graph, tmp_path: Path) -> None:
    db = sample_extended
    lines = cohen_lines()
    assert len(lines) >= 20
    path = tmp_path / "cohen.csv"
    path.write_text("".join(lines), encoding="utf-8")
    load_files(db, "paperscape", [path], rejects=tmp_path / "rejects.jsonl", progress=False)

    collaborators = authors.full_profile(db, "name:geiger_m", collaborators=200).collaborators
    cohens = [c for c in collaborators if c.name.endswith("Cohen")]
    assert [c.name for c in cohens] == ["Taco S. Cohen"]
    # The Geiger list names Taco Cohen on four works (two as "Taco S."), all of them one person.
    taco = cohens[0]
    assert taco.works == 4
    physicist = rows(db, "MATCH (a:Author)-[:AUTHORED]->(p:Paper) WHERE p.arxiv_id IN $ids "
                         "AND a.block = 'name:cohen_t' RETURN p.arxiv_id AS paper, a.id AS id, a.name AS name",
                     ids=[line.split(";", 1)[0] for line in lines])
    assert len(physicist) == len(lines)
    assert all(r["id"] != taco.id and r["name"] == "T. D. Cohen" for r in physicist)
    # Initials only ("T.D.Cohen"): his papers join where co-authors say so, e.g. all those with W. Broniowski;
    # papers that share no co-author stay apart (no full name to go on).
    with_broniowski = {line.split(";", 1)[0] for line in lines if "Broniowski" in line}
    assert len(with_broniowski) >= 4
    assert len({r["id"] for r in physicist if r["paper"] in with_broniowski}) == 1
    # Provenance: every authorship keeps its source and byline as printed.
    assert count(db, "MATCH ()-[r:AUTHORED]->() WHERE r.source IS NULL OR r.byline IS NULL RETURN count(r)") == 0
    edge = rows(db, "MATCH (a:Author)-[r:AUTHORED]->(p:Paper {arxiv_id: 'hep-ph/9208253'}) "
                    "WHERE a.block = 'name:cohen_t' RETURN r.byline AS byline, r.source AS source")
    assert edge == [{"byline": "T.D.Cohen", "source": "paperscape"}]


def write_works(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_ids_stay_when_more_papers_arrive_and_reloading_changes_nothing(db: Graph, tmp_path: Path) -> None:
    first = write_works(tmp_path / "a.jsonl", [
        {"title": "Pions", "year": 2015, "authors": ["Jian Li", "Wei Broniowski"], "venue": "Phys Rev D"},
        {"title": "Graphs", "year": 2020, "authors": ["Jun Li", "Ann Other"], "venue": "NeurIPS"},
        {"title": "Two Lis", "year": 2019, "authors": ["Jian Li", "Jun Li"]},
    ])
    load_files(db, "works", [first], rejects=tmp_path / "r.jsonl", progress=False)
    before = {r["byline"] + "|" + r["title"]: r["id"] for r in rows(
        db, "MATCH (a:Author)-[r:AUTHORED]->(p:Paper) WHERE a.block = 'name:li_j' "
            "RETURN a.id AS id, r.byline AS byline, p.title AS title")}
    assert len(set(before.values())) == 2  # Jian and Jun
    assert before["Jian Li|Pions"] == before["Jian Li|Two Lis"] != before["Jun Li|Graphs"]

    later = write_works(tmp_path / "b.jsonl", [
        {"title": "More pions", "year": 2016, "authors": ["J. Li", "Wei Broniowski"], "venue": "Phys Rev D"},
        {"title": "Unrelated", "year": 2017, "authors": ["J. Li", "Some Body"]},
    ])
    load_files(db, "works", [first, later], rejects=tmp_path / "r.jsonl", progress=False)
    after = {r["byline"] + "|" + r["title"]: r["id"] for r in rows(
        db, "MATCH (a:Author)-[r:AUTHORED]->(p:Paper) WHERE a.block = 'name:li_j' "
            "RETURN a.id AS id, r.byline AS byline, p.title AS title")}
    assert {k: after[k] for k in before} == before  # no id changed, re-loading added nobody
    assert after["J. Li|More pions"] == before["Jian Li|Pions"]  # shared co-author and venue
    assert after["J. Li|Unrelated"] not in before.values()  # no evidence: a person of its own
    assert count(db, "MATCH (a:Author) WHERE a.block = 'name:li_j' RETURN count(a)") == 3


def _openalex_record(work_id: str) -> str:
    """The line of the real McMaster OpenAlex file for ``work_id``."""
    with gzip.open(shared_file("openalex", "mcmaster-works.openalex.jsonl.gz"), "rt", encoding="utf-8") as fh:
        return next(line for line in fh if f'"id": "https://openalex.org/{work_id}"' in line
                    or f'"id":"https://openalex.org/{work_id}"' in line)


def test_an_arxiv_listing_joins_the_openalex_authors_by_position_not_by_name_alone(db: Graph,
                                                                                 tmp_path: Path) -> None:
    """OpenAlex knows arXiv 1404.4396 by its DataCite DOI (10.48550/arxiv.1404.4396): the arXiv record's
    bylines join the OpenAlex authors at their positions; a listing that swaps two authors attaches those
    two to nobody (two new people), the one still at its place to its OpenAlex author."""
    line = _openalex_record("W1850598513")
    record = json.loads(line)
    expected = [(a["author"]["display_name"], "openalex:" + a["author"]["id"].rsplit("/", 1)[-1])
                for a in record["authorships"]]
    assert [n for n, _ in expected] == ["Ronald G. Douglas", "Xiang Tang", "Guoliang Yu"]
    openalex_file = tmp_path / "w.jsonl"
    openalex_file.write_text(line, encoding="utf-8")
    load_files(db, "openalex", [openalex_file], rejects=tmp_path / "r.jsonl", progress=False)

    def arxiv(authors: str) -> Path:
        path = tmp_path / "arxiv.jsonl"
        path.write_text(json.dumps({"id": "1404.4396", "title": record["title"], "authors": authors,
                                    "categories": "math.OA", "update_date": "2014-04-17"}) + "\n",
                        encoding="utf-8")
        return path

    def who() -> list[tuple[int, str]]:
        return [(r["position"], r["id"]) for r in rows(
            db, "MATCH (a:Author)-[r:AUTHORED]->(p:Paper {arxiv_id: '1404.4396'}) "
                "RETURN r.position AS position, a.id AS id ORDER BY position, id")]

    load_files(db, "arxiv", [arxiv("Ronald G. Douglas, Xiang Tang, Guoliang Yu")], rejects=tmp_path / "r.jsonl",
               progress=False)
    assert who() == [(i + 1, ident) for i, (_, ident) in enumerate(expected)]
    assert count(db, "MATCH (a:Author) RETURN count(a)") == 3

    load_files(db, "arxiv", [arxiv("Xiang Tang, Ronald G. Douglas, Guoliang Yu")], rejects=tmp_path / "r.jsonl",
               progress=False)
    people = {r["id"]: r["position"] for r in rows(
        db, "MATCH (a:Author)-[r:AUTHORED]->(:Paper {arxiv_id: '1404.4396'}) RETURN a.id AS id, "
            "r.position AS position")}
    new = sorted(i for i in people if not i.startswith("openalex:"))
    assert len(new) == 2 and all(i.startswith(("name:tang_x", "name:douglas_r")) for i in new)
    assert people[expected[2][1]] == 3      # Guoliang Yu did not move: still his OpenAlex author


def test_reloading_a_list_that_gives_a_paper_twice_adds_nobody(db: Graph, tmp_path: Path) -> None:
    record = {"title": "e3nn", "year": 2022, "doi": "10.5281/zenodo.6459381",
              "authors": ["Mario Geiger", "Tess Smidt"]}
    listed = write_works(tmp_path / "twice.jsonl", [record, dict(record)])
    people = ("MATCH (a:Author)-[:AUTHORED]->(:Paper) RETURN a.id AS id, a.block AS block "
              "ORDER BY id")
    load_files(db, "works", [listed], rejects=tmp_path / "r.jsonl", progress=False)
    first = rows(db, people)
    assert sorted(r["block"] for r in first) == ["name:geiger_m", "name:smidt_t"]  # one person per byline
    load_files(db, "works", [listed], rejects=tmp_path / "r.jsonl", progress=False)
    assert rows(db, people) == first


def test_an_initials_byline_of_a_rare_surname_joins_its_one_person_and_not_when_the_graph_says_common(
        db: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Rarity is told among RARE_MIN_PEOPLE people; this small graph stands for a large one.
    monkeypatch.setattr(people_module, "RARE_MIN_PEOPLE", 0)
    diana = write_works(tmp_path / "diana.jsonl", [
        {"title": "Diabetes coaching", "year": 2004, "authors": ["Diana Sherifali", "Hertzel Gerstein"]},
        {"title": "Insulin titration", "year": 2020, "authors": ["Diana Sherifali", "Hertzel Gerstein"]},
    ])
    load_files(db, "works", [diana], rejects=tmp_path / "r.jsonl", progress=False)
    # A later list: the byline shares no co-author, topic, venue or title word with Diana, only her years.
    later = write_works(tmp_path / "later.jsonl", [
        {"title": "Nursing workforce", "year": 2010, "authors": ["D. Sherifali", "Kathy Walker"]}])

    def people() -> dict[str, str]:
        return {r["title"]: r["id"] for r in rows(
            db, "MATCH (a:Author)-[:AUTHORED]->(p:Paper) WHERE a.block = 'name:sherifali_d' "
                "RETURN a.id AS id, p.title AS title")}

    # The graph knows the surname under one first initial: a rare surname, and Diana is the one person that fits.
    load_files(db, "works", [later], rejects=tmp_path / "r.jsonl", progress=False)
    found = people()
    assert found["Nursing workforce"] == found["Diabetes coaching"] == found["Insulin titration"]

    # The same, into a graph that knows Sherifalis under three more first initials: not rare, so it stays apart.
    run_autocommit(db, "maintenance/delete_all")
    others = write_works(tmp_path / "others.jsonl", [
        {"title": f"Paper {initial}", "year": 2012, "authors": [f"{given} Sherifali"]}
        for initial, given in (("x", "Xavier"), ("y", "Yusuf"), ("z", "Zara"))])
    load_files(db, "works", [diana, others], rejects=tmp_path / "r.jsonl", progress=False)
    load_files(db, "works", [later], rejects=tmp_path / "r.jsonl", progress=False)
    found = people()
    assert found["Diabetes coaching"] == found["Insulin titration"] != found["Nursing workforce"]
