"""A load's people kept as columns (``loaders.columns.ColumnPlan``) are the people of ``people.Plan`` (issue #9).

``Plan`` with the clustering in Python (``PEERGRAPH_NATIVE=0``) is the reference: the plan
pass of a load into an empty graph (``loaders.plan_pass`` with no database, as the bulk
path and a first load make it) must give every authorship the same person either way, on
real files, on hand-made records built to hit the edge cases, and on a synthetic corpus.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import shared_file
from identity_helpers import python_clustering

from loaders import SOURCES, native, people, plan_pass
from loaders.columns import ColumnPlan, person_plan
from loaders.people import Plan, context
from loaders.rows import KeyMap
from loaders.writer import plan_add, plan_decide

pytestmark = pytest.mark.skipif(not native.available(), reason="the native library is not built (no cargo)")


def both(source: str, files: list[Path]) -> tuple[Plan, ColumnPlan]:
    """The plan pass over ``files`` into an empty graph: (in Python, with columns and the library)."""
    fmt = SOURCES[source]
    with python_clustering():
        reference, _ = plan_pass(fmt, files, None, chunk=2_000)
    plan, _ = plan_pass(fmt, files, None, chunk=2_000)
    assert isinstance(reference, Plan)
    assert isinstance(plan, ColumnPlan)
    return reference, plan


def people_of(plan: Plan | ColumnPlan) -> int:
    return sum(1 for row in plan.person.values() for person in row if person)


@pytest.mark.parametrize(("source", "parts"), [
    ("paperscape", ("paperscape", "pscp-1995.csv.gz")),
    ("arxiv", ("arxiv", "arxiv-abs.snapshot.jsonl.gz")),
    ("works", ("seeds", "geiger-works.jsonl")),
])
def test_real_files_give_the_same_people(source: str, parts: tuple[str, str]) -> None:
    reference, plan = both(source, [shared_file(*parts)])
    assert plan.person == reference.person
    assert people_of(reference) > 20


def test_two_files_are_one_load() -> None:
    """The second file's works go on numbering after the first's, and people span both files."""
    files = [shared_file("paperscape", "pscp-1994.csv.gz"), shared_file("paperscape", "pscp-1995.csv.gz")]
    reference, plan = both("paperscape", files)
    assert plan.person == reference.person
    first, _ = plan_pass(SOURCES["paperscape"], files[:1], None)
    in_first = {p for w, row in reference.person.items() if w < first.works for p in row if p}
    in_second = {p for w, row in reference.person.items() if w >= first.works for p in row if p}
    assert len(in_first & in_second) > 100


@pytest.mark.parametrize("variant", ["initials"])
def test_the_real_mcmaster_file_gives_the_same_people(variant: str, tmp_path: Path) -> None:
    from bench.identity import build

    path = tmp_path / f"{variant}.jsonl"
    records = build(variant).records
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    reference, plan = both("works", [path])
    assert plan.person == reference.person
    assert people_of(reference) > 80_000  # the whole file: 89,000 name-only authorships


def edge_records() -> list[dict[str, Any]]:
    """Records built to reach every branch of what a plan notes: a paper given twice (by DOI, in records far
    apart, with another title), a 60-author paper (no co-author evidence), bylines without a given name, a
    collaboration, ORCIDs and OpenAlex ids beside names, an institution listed twice, no venue, no year, a
    paper without authors."""
    out: list[dict[str, Any]] = []
    team = ["Taco S. Cohen", "Mario Geiger", "Jonas Köhler", "Max Welling"]
    for i in range(40):
        authors: list[Any] = [team[i % 4], team[(i + 1) % 4], {"name": "T. Cohen", "institution": "UvA"}]
        if i % 5 == 0:
            authors.append({"name": "Thomas D. Cohen", "orcid": "0000-0002-1825-0097",
                            "institutions": ["University of Maryland", "University of Maryland"]})
        if i % 7 == 0:
            authors += ["Cohen", "The ATLAS Collaboration", {"name": "Jian Li", "id": "openalex:A123"}]
        record: dict[str, Any] = {"title": f"Equivariant networks {i % 9} lattice gauge", "authors": authors}
        if i % 3:
            record["year"] = 2015 + i % 8
            record["venue"] = ["NeurIPS", "Phys. Rev. D", "ICML"][i % 3]
        if i % 4 == 0:
            record["doi"] = f"10.1/dup{i % 8}"  # papers 0 and 8, 16 and 24 ... are one paper
        record["categories"] = [["cs.LG"], ["hep-lat", "hep-th"], ["cs.LG", "stat.ML"]][i % 3]
        out.append(record)
    out.append({"title": "A consortium paper", "year": 2020,
                "authors": [f"Author{k} Surname{k % 13}" for k in range(60)] + ["Taco Cohen"]})
    out.append({"title": "Nobody wrote this", "year": 2021})
    return out


def test_edge_cases_give_the_same_people(tmp_path: Path) -> None:
    path = tmp_path / "edges.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in edge_records()), encoding="utf-8")
    reference, plan = both("works", [path])
    assert plan.person == reference.person
    ids = {p for row in reference.person.values() for p in row if p}
    assert "orcid:0000-0002-1825-0097" in ids
    assert len({p for p in ids if p.startswith("name:cohen_t")}) >= 2  # Taco and the initials-only bylines


def test_rare_surnames_and_common_words_are_those_of_people_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the thresholds lowered so that a small corpus has both, the context and then the people agree."""
    from bench.synth import records

    monkeypatch.setattr(people, "RARE_MIN_PEOPLE", 500)
    monkeypatch.setattr(people, "COMMON_MIN_PAPERS", 200)
    works = [SOURCES["works"].parse(json.loads(json.dumps(r))) for r in records(3_000, seed=11)]
    reference, plan = Plan(), ColumnPlan()
    for p in (reference, plan):
        keys: KeyMap = {}
        for start in range(0, len(works), 1_000):
            plan_add(None, p, works[start:start + 1_000], keys)
    expected = context(reference.found)
    assert expected.rare and expected.common
    assert plan.context() == expected
    assert plan.blocks() == reference.blocks()
    with python_clustering():
        reference.decide({})
    plan.decide(threads=3)
    assert plan.person == reference.person


def test_the_threads_do_not_change_the_people() -> None:
    from bench.synth import records

    works = [SOURCES["works"].parse(json.loads(json.dumps(r))) for r in records(2_000, seed=3)]
    answers = []
    for threads in (1, 2, 5):
        plan = ColumnPlan()
        plan_add(None, plan, works, {})
        plan.decide(threads=threads)
        answers.append(plan.person)
    assert answers[0] == answers[1] == answers[2]
    assert len(answers[0]) == 2_000


def test_columns_only_where_the_library_is_and_the_graph_is_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(person_plan(True), ColumnPlan)
    assert isinstance(person_plan(False), Plan)
    monkeypatch.setenv("PEERGRAPH_NATIVE", "0")
    assert isinstance(person_plan(True), Plan)


def test_a_column_plan_reads_no_graph() -> None:
    with pytest.raises(ValueError, match="empty graph"):
        plan_decide(object(), ColumnPlan())  # type: ignore[arg-type]


def test_an_empty_plan_decides_nothing() -> None:
    plan = ColumnPlan()
    plan_add(None, plan, [SOURCES["works"].parse({"title": "No authors"})], {})
    plan.decide()
    assert plan.person == {}
    assert plan.works == 1


def test_a_paper_given_twice_counts_the_words_of_its_last_record(monkeypatch: pytest.MonkeyPatch) -> None:
    """``people.context`` keeps the words of a paper's last record: the columns must too."""
    monkeypatch.setattr(people, "COMMON_MIN_PAPERS", 2)
    monkeypatch.setattr(people, "COMMON_SHARE", 0.5)  # two papers: a word of both is common
    records = [{"title": "Alpha beta", "arxiv_id": "2101.00001", "authors": ["Ada Lovelace"]},
               {"title": "Gamma epsilon", "doi": "10.1/two", "authors": ["Alan Turing"]},
               {"title": "Gamma delta", "arxiv_id": "2101.00001", "authors": ["Ada Lovelace"]}]  # one paper
    works = [SOURCES["works"].parse(r) for r in records]
    reference, plan = Plan(), ColumnPlan()
    for p in (reference, plan):
        plan_add(None, p, works, {})
    assert context(reference.found).common == {"gamma"}
    assert plan.context() == context(reference.found)
