"""Initials-only bylines with weak evidence (loaders.identity ``_sole``): topics and years, when one person fits.

Block ``name:holbrook_a`` holds two people named in full, Anne (topics t1, t2; 2010-2015; one co-author
community) and Andrew (topic t9). An "A. Holbrook" byline sharing no co-author, institution or venue with
either is Anne only when Anne is the one full-named person sharing a topic with it and its year lies in
Anne's years; otherwise it stays a person of its own.
"""

from __future__ import annotations

import random

from loaders.identity import Mention, assign, byline_given
from loaders.names import parse_name

ANNE_CO = frozenset({"name:guyatt_g"})


def mention(ref: int, byline: str, paper: str, year: int, topics: set[str],
            coauthors: frozenset[str] = frozenset()) -> Mention:
    name = parse_name(byline)
    assert name is not None
    return Mention(ref=ref, block=name.key, given=byline_given(byline), paper=paper, position=1,
                   coauthors=coauthors, topics=frozenset(topics), year=year)


def people(andrew_topics: set[str]) -> list[Mention]:
    return [mention(0, "Anne Holbrook", "p0", 2010, {"t1", "t2"}, ANNE_CO),
            mention(1, "Anne Holbrook", "p1", 2015, {"t1"}, ANNE_CO),
            mention(2, "Andrew Holbrook", "p2", 2012, andrew_topics, frozenset({"name:smith_j"}))]


def groups(ms: list[Mention]) -> set[frozenset[int]]:
    return {frozenset(m.ref for m in members) for _, members in assign(ms)}


def test_initials_with_only_a_topic_and_a_year_join_the_one_person_sharing_the_topic() -> None:
    ms = [*people({"t9"}), mention(3, "A. Holbrook", "p3", 2012, {"t1"}, frozenset({"name:walter_s"}))]
    assert groups(ms) == {frozenset({0, 1, 3}), frozenset({2})}


def test_initials_outside_the_persons_years_stay_apart() -> None:
    # 1990 is far from Anne's 2010-2015 (the slack is two years): a topic alone is not enough.
    ms = [*people({"t9"}), mention(3, "A. Holbrook", "p3", 1990, {"t1"})]
    assert groups(ms) == {frozenset({0, 1}), frozenset({2}), frozenset({3})}


def test_initials_stay_apart_when_two_full_named_people_share_the_topic() -> None:
    ms = [*people({"t1"}), mention(3, "A. Holbrook", "p3", 2012, {"t1"})]
    assert groups(ms) == {frozenset({0, 1}), frozenset({2}), frozenset({3})}


def test_initials_without_a_shared_topic_stay_apart() -> None:
    ms = [*people({"t9"}), mention(3, "A. Holbrook", "p3", 2012, {"t7"})]
    assert groups(ms) == {frozenset({0, 1}), frozenset({2}), frozenset({3})}


def test_initials_whose_middle_initial_does_not_fit_stay_apart() -> None:
    ms = [mention(0, "Anne M. Holbrook", "p0", 2010, {"t1"}, ANNE_CO),
          mention(1, "Anne M. Holbrook", "p1", 2015, {"t1"}, ANNE_CO),
          mention(2, "Andrew Holbrook", "p2", 2012, {"t9"}),
          mention(3, "A. K. Holbrook", "p3", 2012, {"t1"})]
    assert groups(ms) == {frozenset({0, 1}), frozenset({2}), frozenset({3})}


def test_a_topic_brought_by_an_attached_initials_byline_counts_for_the_next() -> None:
    # p4 shares only t5 with Anne's profile, and t5 comes with p3 once p3 has joined (a later round).
    ms = [*people({"t9"}), mention(3, "A. Holbrook", "p3", 2012, {"t1", "t5"}),
          mention(4, "A. Holbrook", "p4", 2013, {"t5"})]
    assert groups(ms) == {frozenset({0, 1, 3, 4}), frozenset({2})}


def test_the_weak_rules_give_the_same_people_in_any_order() -> None:
    rng = random.Random(11)
    given = ["Anne", "Andrew", "A.", "A.", "A. M.", "Anne M."]
    ms = [mention(i, f"{rng.choice(given)} Holbrook", f"p{i}", 2000 + rng.randrange(20),
                  set(rng.sample(["t1", "t2", "t3", "t4", "t5"], 2)),
                  frozenset(rng.sample([f"name:c{k}_x" for k in range(10)], 1)))
          for i in range(80)]
    expected = groups(ms)
    assert 1 < len(expected) < len(ms)  # the case does merge and split
    for _ in range(5):
        rng.shuffle(ms)
        assert groups(ms) == expected
