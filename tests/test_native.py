"""The native clustering (native/, loaders/native.py) finds the same people as ``loaders.identity`` (issue #9).

``identity._cluster`` is the specification; the Rust library must agree with it id for id
(``people.assign_people`` with ``PEERGRAPH_NATIVE=0`` is the reference) on random blocks built
to hit every rule, on the real McMaster file rewritten as the identity benchmark's three
variants, and on a synthetic corpus.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from identity_helpers import python_clustering

from loaders import SOURCES, native
from loaders.identity import Mention, Person, byline_given
from loaders.names import parse_name
from loaders.people import Plan, assign_people, context, title_words
from loaders.rows import KeyMap
from loaders.writer import plan_add

needs_library = pytest.mark.skipif(not native.available(), reason="the native library is not built (no cargo)")


@pytest.fixture
def python_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PEERGRAPH_NATIVE", "0")
    assert not native.available()
    yield


def both(found: list[Mention], people: dict[str, list[Person]] | None = None, **ctx_args: object,
         ) -> tuple[dict[int, str], dict[int, str]]:
    """(Python's answer, the library's answer) of ``assign_people`` for ``found``."""
    ctx = context(found, people or {}, **ctx_args)  # type: ignore[arg-type]
    with python_clustering():
        reference = assign_people(found, people or {}, ctx)
    assert native.available()
    return reference, assign_people(found, people or {}, ctx)


def test_make_builds_the_library_where_cargo_is() -> None:
    """Where ``make`` finds cargo (the PATH, else ~/.cargo/bin, as the Makefile looks) the library is built."""
    if shutil.which("cargo") is None and not (Path.home() / ".cargo" / "bin" / "cargo").exists():
        pytest.skip("no cargo on this machine: the loaders cluster in Python")
    assert native.available(), f"`make` builds {native.LIBRARY} with cargo; it is missing"


def test_the_switch_turns_it_off(python_only: None) -> None:
    assert not native.available()


BYLINES = {
    "name:li_j": ["Jian Li", "Jun Li", "J. Li", "J. K. Li", "Jian K. Li", "Jian Kang Li", "Jian-Kang Li", "Jing Li",
                  "J. M. Li", "Jian M. Li"],
    "name:cohen_t": ["Taco Cohen", "Taco S. Cohen", "T. S. Cohen", "T. Cohen", "Thomas D. Cohen", "T. D. Cohen",
                     "Thomas Cohen"],
    "name:geiger_m": ["Mario Geiger", "M. Geiger"],
}


def random_load(seed: int) -> list[Mention]:
    """Mentions of a few crowded blocks whose evidence overlaps often enough for every rule to fire: shared
    co-authors, institutions, ORCIDs (and conflicting ones), venues, topics, title words, years far apart,
    two bylines of one paper, the same paper given again by a second record (a twin, sometimes spelled
    differently), papers without year or venue."""
    rnd = random.Random(seed)
    coauthors = [f"name:co{i}_x" for i in range(7)]
    words = ["graph", "neural", "equivariant", "lattice", "quark", "gauge", "symmetry"]
    found: list[Mention] = []
    record = 0
    for p in range(rnd.randint(15, 70)):
        paper = f"doi:10.1/p{rnd.randint(0, 10**6)}-{p}"
        seats = rnd.sample(range(1, 9), rnd.randint(1, 3))
        title = " ".join(rnd.sample(words, rnd.randint(0, 3)))
        facts = {"coauthors": frozenset(rnd.sample(coauthors, rnd.randint(0, 3))),
                     "topics": frozenset(rnd.sample(["t1", "t2", "t3", "t4", "t5"], rnd.randint(0, 2))),
                     "venue": rnd.choice([None, "J. Phys.", "PRL", "arXiv"]),
                     "year": rnd.choice([None, *range(1985, 2025)]), "words": title_words(title)}
        copies = 2 if rnd.random() < 0.15 else 1
        authors = [(seat, rnd.choice(list(BYLINES))) for seat in seats]
        spellings = {seat: rnd.choice(BYLINES[block]) for seat, block in authors}
        for copy in range(copies):
            for seat, block in authors:
                byline = spellings[seat] if copy == 0 or rnd.random() < 0.7 else rnd.choice(BYLINES[block])
                name = parse_name(byline)
                assert name is not None and name.key == block
                found.append(Mention(
                    ref=len(found), block=block, given=byline_given(byline), paper=paper, position=seat,
                    institutions=frozenset(rnd.sample(["i:mit", "i:epfl", "i:ams"], rnd.randint(0, 1))),
                    orcid=rnd.choice([None] * 6 + ["0000-0001", "0000-0002", ""]), record=record,
                    **facts))  # type: ignore[arg-type]
            record += 1
    rnd.shuffle(found)
    return found


@needs_library
@pytest.mark.parametrize("seed", range(60))
def test_random_blocks_give_the_same_people(seed: int) -> None:
    found = random_load(seed)
    reference, fast = both(found)
    assert fast == reference
    assert len(set(reference.values())) < len(found)  # something merged: the case tests the rules, not singles


@needs_library
@pytest.mark.parametrize("seed", range(8))
def test_rare_surnames_and_common_words_give_the_same_people(seed: int) -> None:
    found = random_load(1000 + seed)
    ctx = context(found, {})
    blocks = {m.block for m in found}
    rare = frozenset(b for b in blocks if b != "name:li_j")
    common = frozenset(["graph", "neural"])
    with python_clustering():
        reference = assign_people(found, {}, type(ctx)(rare, common))
    assert assign_people(found, {}, type(ctx)(rare, common)) == reference


@needs_library
def test_any_number_of_threads_gives_the_same_people() -> None:
    from bench.synth import records

    fmt = SOURCES["works"]
    found = _planned([fmt.parse(json.loads(json.dumps(r))) for r in records(1_500, seed=9)])
    assert len({m.block for m in found}) > 1_000
    answers = [native.people(found, threads=threads) for threads in (1, 2, 3, 7)]
    assert all(answer == answers[0] for answer in answers)


@needs_library
def test_bylines_without_a_given_name_give_the_same_people() -> None:
    """Bylines without a given name ("Cohen", "1 Cohen": every name fits them) among full names and initials."""
    team = frozenset({"name:co1_x", "name:co2_x"})
    bylines = ["Cohen", "1 Cohen", "Cohen", "Taco Cohen", "T. Cohen", "Cohen"]
    found = []
    for i, byline in enumerate(bylines):
        name = parse_name(byline)
        assert name is not None
        found.append(Mention(ref=i, block=name.key, given=byline_given(byline), paper=f"p{i}", position=1,
                             coauthors=team if i % 2 == 0 else frozenset({"name:co1_x"}), year=2000 + i, record=i))
    reference, fast = both(found)
    assert fast == reference
    assert len(set(reference.values())) < len(found)


@needs_library
def test_blocks_with_known_people_stay_with_python() -> None:
    found = random_load(7)
    taco = Person("name:cohen_t", "name:cohen_t", frozenset({byline_given("Taco Cohen")}),
                  coauthors=frozenset({"name:co1_x"}))
    reference, fast = both(found, {"name:cohen_t": [taco]})
    assert fast == reference
    assert "name:cohen_t" in reference.values()


def _planned(works: list) -> list[Mention]:  # type: ignore[type-arg]
    plan = Plan()
    keys: KeyMap = {}
    for start in range(0, len(works), 5_000):
        plan_add(None, plan, works[start:start + 5_000], keys)
    return plan.found


@needs_library
@pytest.mark.parametrize("variant", ["names", "initials", "orcid"])
def test_the_real_mcmaster_file_gives_the_same_people(variant: str) -> None:
    from bench.identity import build

    fmt = SOURCES["works"]
    found = _planned([fmt.parse(json.loads(json.dumps(r))) for r in build(variant).records])
    assert len(found) > 80_000  # the whole file: 89,000 name-only authorships
    reference, fast = both(found)
    assert fast == reference


@needs_library
def test_a_synthetic_corpus_gives_the_same_people() -> None:
    from bench.synth import records

    fmt = SOURCES["works"]
    works = [fmt.parse(json.loads(json.dumps(r))) for r in records(3_000, seed=5)]
    found = _planned(works)
    reference, fast = both(found)
    assert fast == reference
    assert len(set(reference.values())) < len(found) / 2  # the corpus repeats its authors
