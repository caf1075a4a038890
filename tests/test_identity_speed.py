"""The clustering merges a person's many bylines without scoring every pair of them (issues #9/#11), and a large
block decides the same people in any order."""

from __future__ import annotations

import random

import pytest

from loaders import identity
from loaders.identity import Mention, assign, byline_given
from loaders.names import parse_name


def mention(ref: int, byline: str, paper: str, position: int = 1, **evidence: object) -> Mention:
    name = parse_name(byline)
    assert name is not None
    return Mention(ref=ref, block=name.key, given=byline_given(byline), paper=paper, position=position,
                   **evidence)  # type: ignore[arg-type]


def two_jians(k: int) -> tuple[list[Mention], list[frozenset[int]]]:
    """k papers of a Jian Li with his group (a, b), k of another Jian Li with another group (c, d): two people.

    Every paper names the first co-author of its group, so every pair of one man's papers shares the full name
    and a co-author and passes the threshold: the clique the pre-pass joins.
    """
    ms, first, second = [], set(), set()
    for i in range(2 * k):
        group = ("a", "b") if i % 2 == 0 else ("c", "d")
        co = frozenset({f"name:{group[0]}_x"} | ({f"name:{group[1]}_x"} if i // 2 % 3 == 0 else set()))
        ms.append(mention(i, "Jian Li", f"p{i:04d}", coauthors=co, year=2000 + i % 5))
        (first if i % 2 == 0 else second).add(i)
    # Other given names of the block: the same full name alone is no longer proof (``NAME_BONUS``).
    others = [mention(10_000 + n, f"{given} Li", f"o{n}") for n, given in enumerate(["Jun", "Jing", "Jie", "Jia"])]
    return ms + others, [frozenset(first), frozenset(second)] + [frozenset({m.ref}) for m in others]


def groups(result: list[tuple[str | None, list[Mention]]]) -> set[frozenset[int]]:
    return {frozenset(m.ref for m in members) for _, members in result}


def test_a_persons_many_bylines_merge_without_scoring_every_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    k = 200
    ms, expected = two_jians(k)
    calls = []
    score = identity._score

    def counted(a: identity._Cluster, b: identity._Cluster, diversity: int) -> float:
        calls.append(1)
        return score(a, b, diversity)

    monkeypatch.setattr(identity, "_score", counted)
    assert groups(assign(ms)) == set(expected)
    # All pairs of the two cliques would be 2 * k * (k - 1) / 2 = 39,800 scores; joining each byline to its group
    # costs about one score per byline.
    assert len(calls) < 4 * 2 * k


def test_a_large_block_gives_the_same_people_in_any_order() -> None:
    rng = random.Random(11)
    ms, _ = two_jians(60)
    # Initials-only bylines, a paper naming two Jian Lis, and bylines sharing only a venue: the order-dependent
    # rules (same paper, unambiguous initials) meet the pre-pass.
    ms += [mention(200 + i, rng.choice(["J. Li", "Jian Li", "Jun Li"]), f"q{i // 2}", i % 2 + 1,
                   coauthors=frozenset(rng.sample(["name:a_x", "name:c_x", "name:e_x"], 1)),
                   venue=rng.choice(["PRL", "PRB"]), year=2000 + i % 7) for i in range(60)]
    expected = groups(assign(ms))
    assert len(expected) < len(ms) // 4  # the cliques did merge
    for _ in range(4):
        rng.shuffle(ms)
        assert groups(assign(ms)) == expected


def test_the_same_paper_still_keeps_two_jians_apart_in_a_clique() -> None:
    ms, (first, second, *others) = two_jians(40)
    # A paper naming two Jian Lis, both with the first man's co-author: one of them (the first seat, as the
    # rounds order ties by key) joins him; the other cannot, and has no evidence for anyone else.
    co = frozenset({"name:a_x"})
    ms += [mention(500, "Jian Li", "z", 1, coauthors=co), mention(501, "Jian Li", "z", 2, coauthors=co)]
    man = first if 0 in first else second
    other = second if man is first else first
    assert groups(assign(ms)) == {man | {500}, other, frozenset({501}), *others}
