"""Initials-only bylines with weak evidence (loaders.identity ``_sole``): topics, title words, rare surnames and
years, when one person fits.

Block ``name:holbrook_a`` holds two people named in full, Anne (topics t1, t2; 2010-2015; one co-author
community) and Andrew (topic t9). An "A. Holbrook" byline sharing no co-author or institution with
either is Anne only when Anne is the one full-named person sharing a topic or a distinctive title word
with it and its year lies in Anne's years; otherwise it stays a person of its own. In the block of a
rare surname (one the load and the graph know under at most two first initials) the one full-named person
that fits is the candidate without such a tie.
"""

from __future__ import annotations

import random

from identity_helpers import assign_both

from loaders.identity import RARE_BLOCKS, Mention, byline_given
from loaders.names import parse_name
from loaders.people import COMMON_MIN_PAPERS, COMMON_SHARE, RARE_MIN_PEOPLE, assign_people, context, title_words

ANNE_CO = frozenset({"name:guyatt_g"})


def mention(ref: int, byline: str, paper: str, year: int, topics: set[str],
            coauthors: frozenset[str] = frozenset(), title: str | None = None, venue: str | None = None) -> Mention:
    name = parse_name(byline)
    assert name is not None
    return Mention(ref=ref, block=name.key, given=byline_given(byline), paper=paper, position=1,
                   coauthors=coauthors, topics=frozenset(topics), year=year, words=title_words(title), venue=venue)


def people(andrew_topics: set[str]) -> list[Mention]:
    return [mention(0, "Anne Holbrook", "p0", 2010, {"t1", "t2"}, ANNE_CO),
            mention(1, "Anne Holbrook", "p1", 2015, {"t1"}, ANNE_CO),
            mention(2, "Andrew Holbrook", "p2", 2012, andrew_topics, frozenset({"name:smith_j"}))]


def groups(ms: list[Mention]) -> set[frozenset[int]]:
    return {frozenset(m.ref for m in members) for _, members in assign_both(ms)}


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


def with_titles(andrew_title: str) -> list[Mention]:
    return [mention(0, "Anne Holbrook", "p0", 2010, {"t1"}, ANNE_CO, title="Warfarin dosing in the elderly"),
            mention(1, "Anne Holbrook", "p1", 2015, {"t1"}, ANNE_CO, title="Anticoagulation clinics"),
            mention(2, "Andrew Holbrook", "p2", 2012, {"t9"}, frozenset({"name:smith_j"}), title=andrew_title)]


def test_title_words_are_folded_long_and_not_general() -> None:
    assert title_words("Warfarin and the Élderly: a randomized trial of dosing") == {
        "warfarin", "elderly", "dosing"}
    assert title_words(None) == frozenset()


def test_a_shared_title_word_ties_like_a_topic() -> None:
    byline = mention(3, "A. Holbrook", "p3", 2012, {"t7"}, title="Warfarin interactions with antibiotics")
    assert groups([*with_titles("Galaxy clusters"), byline]) == {frozenset({0, 1, 3}), frozenset({2})}


def test_a_title_word_shared_with_two_people_is_nobody_in_particular() -> None:
    byline = mention(3, "A. Holbrook", "p3", 2012, {"t7"}, title="Warfarin interactions with antibiotics")
    assert groups([*with_titles("Warfarin in galaxies"), byline]) == {
        frozenset({0, 1}), frozenset({2}), frozenset({3})}


def test_a_general_title_word_ties_nothing() -> None:
    # "randomized", "trial" and "outcomes" are in the built-in list of general words; "the" is too short.
    byline = mention(3, "A. Holbrook", "p3", 2012, {"t7"}, title="The outcomes of a randomized trial")
    anne = [mention(0, "Anne Holbrook", "p0", 2010, {"t1"}, ANNE_CO, title="A randomized trial: outcomes"),
            mention(1, "Anne Holbrook", "p1", 2015, {"t1"}, ANNE_CO)]
    andrew = mention(2, "Andrew Holbrook", "p2", 2012, {"t9"}, frozenset({"name:smith_j"}))
    assert groups([*anne, andrew, byline]) == {frozenset({0, 1}), frozenset({2}), frozenset({3})}


def test_a_shared_venue_is_no_tie() -> None:
    # Every preprint of a plain list may have the venue "arXiv": a venue alone does not make the one candidate.
    anne = [mention(0, "Anne Holbrook", "p0", 2010, {"t1"}, ANNE_CO, venue="arxiv"),
            mention(1, "Anne Holbrook", "p1", 2015, {"t1"}, ANNE_CO)]
    andrew = mention(2, "Andrew Holbrook", "p2", 2012, {"t9"}, frozenset({"name:smith_j"}))
    byline = mention(3, "A. Holbrook", "p3", 2012, {"t7"}, venue="arxiv")
    assert groups([*anne, andrew, byline]) == {frozenset({0, 1}), frozenset({2}), frozenset({3})}
    # The same byline with a topic of Anne's is hers.
    tied = mention(3, "A. Holbrook", "p3", 2012, {"t1"}, venue="arxiv")
    assert groups([*anne, andrew, tied]) == {frozenset({0, 1, 3}), frozenset({2})}


def sherifali(extra_blocks: int) -> tuple[list[Mention], dict[str, set[str]]]:
    """Diana Sherifali (two papers, one co-author community), and a "D. Sherifali" paper sharing nothing with
    them but the years; the graph holds ``extra_blocks`` blocks of the surname besides."""
    ms = [mention(0, "Diana Sherifali", "p0", 2004, {"t1"}, frozenset({"name:gerstein_h"})),
          mention(1, "Diana Sherifali", "p1", 2020, {"t1"}, frozenset({"name:gerstein_h"})),
          mention(2, "D. Sherifali", "p2", 2010, {"t8"}, frozenset({"name:walker_k"}))]
    others = {f"name:sherifali_{chr(ord('x') - k)}" for k in range(extra_blocks)}
    return ms, {"name:sherifali": {"name:sherifali_d", *others}}


def by_ref(person_of: dict[int, str]) -> set[frozenset[int]]:
    out: dict[str, set[int]] = {}
    for ref, person in person_of.items():
        out.setdefault(person, set()).add(ref)
    return {frozenset(refs) for refs in out.values()}


def test_in_a_rare_surname_the_one_person_that_fits_takes_an_initials_byline() -> None:
    ms, graph = sherifali(0)
    ctx = context(ms, {}, graph, graph_people=RARE_MIN_PEOPLE)  # among enough people to tell a rare surname
    assert ctx.rare == {"name:sherifali_d"}
    assert by_ref(assign_people(ms, {}, ctx)) == {frozenset({0, 1, 2})}
    # Alone in its block without the rare surname's bonus, the same byline stays apart.
    assert groups(ms) == {frozenset({0, 1}), frozenset({2})}


def test_a_surname_the_graph_knows_under_many_initials_is_not_rare() -> None:
    ms, graph = sherifali(RARE_BLOCKS)  # the graph holds RARE_BLOCKS + 1 blocks of the surname
    ctx = context(ms, {}, graph, graph_people=RARE_MIN_PEOPLE)
    assert ctx.rare == frozenset()
    assert by_ref(assign_people(ms, {}, ctx)) == {frozenset({0, 1}), frozenset({2})}


def test_words_of_many_papers_of_a_large_load_are_common() -> None:
    papers = COMMON_MIN_PAPERS
    many = int(COMMON_SHARE * papers) + 1  # papers whose titles say "warfarin": just over the share
    ms = [mention(i, f"Person{i} Example", f"p{i}", 2000, set(),
                  title=("Warfarin " if i < many else "") + "kinase" + chr(97 + i // 26 % 26) + chr(97 + i % 26))
          for i in range(papers)]
    assert "warfarin" in context(ms).common
    assert "warfarin" not in context(ms[:papers - 1]).common  # a smaller load: no word is common by count
    assert "kinaseaa" not in context(ms).common  # in two papers


def test_the_load_and_the_graph_count_the_surnames_blocks_together() -> None:
    # The load names D. and E. Sherifali, the graph knows an X.: three first initials in all, not a rare surname.
    ms, _graph = sherifali(0)
    ms.append(mention(3, "Emma Sherifali", "p3", 2011, {"t2"}))
    many = RARE_MIN_PEOPLE
    assert context(ms, {}, {"name:sherifali": {"name:sherifali_d"}}, many).rare == {
        "name:sherifali_d", "name:sherifali_e"}
    assert context(ms, {}, {"name:sherifali": {"name:sherifali_x"}}, many).rare == frozenset()


def test_among_few_people_no_surname_is_rare() -> None:
    # A list of three papers in a graph of a few people: every surname is seen once, which says nothing.
    ms, graph = sherifali(0)
    assert context(ms, {}, graph, graph_people=10).rare == frozenset()
    assert by_ref(assign_people(ms, {}, context(ms, {}, graph, graph_people=10))) == {
        frozenset({0, 1}), frozenset({2})}
