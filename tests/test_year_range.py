"""The explorer's year range against the real graph: slices rebuilt from the works in the range (expected values
from the seed file), and the API's checks of the range."""

from __future__ import annotations

from collections import Counter

import pytest

from graph import neighbourhood as nb
from tests.explorer_data import GEIGER, load_seed, read_seed

RANGE = (2021, 2022)


@pytest.fixture(scope="module")
def seed_db(session_db, tmp_path_factory):
    load_seed(session_db, tmp_path_factory.mktemp("years"))
    return session_db


def in_range(seed) -> tuple[set[str], Counter[str]]:
    """Geiger's titles in RANGE and his co-authors with their joint works in it, from the file."""
    titles: set[str] = set()
    joint: Counter[str] = Counter()
    for record, ids in zip(seed.records, seed.authors, strict=True):
        if GEIGER in ids and RANGE[0] <= record["year"] <= RANGE[1]:
            titles.add(record["title"])
            joint.update(i for i in ids if i != GEIGER)
    return titles, joint


def test_a_year_range_keeps_only_works_and_collaborations_in_it(seed_db) -> None:
    seed = read_seed()
    titles, joint = in_range(seed)
    everyone = {i for ids in seed.authors if GEIGER in ids for i in ids} - {GEIGER}
    assert titles and joint and joint.keys() < everyone          # the range really leaves people out
    sl = nb.neighbourhood(seed_db, GEIGER, types=("author", "paper"), caps={"author": 100, "paper": 100},
                          limit=1000, years=RANGE)
    nodes = {n.id: n for n in sl.nodes}
    assert {n.props["title"] for n in sl.nodes if n.type == "paper"} == titles
    assert {i for i, n in nodes.items() if n.type == "author"} - {GEIGER} == set(joint)
    weights = {(e.source, e.target): e.weight for e in sl.edges if e.type == "COAUTHOR"}
    for person, works in joint.items():
        assert weights[tuple(sorted((GEIGER, person)))] == works, person
    # Co-author edges among the others count their joint works in the range too.
    for (a, b), works in weights.items():
        expected = sum(1 for r, ids in zip(seed.records, seed.authors, strict=True)
                       if a in ids and b in ids and RANGE[0] <= r["year"] <= RANGE[1])
        assert works == expected, (a, b)
    assert sl.totals == {"paper": len(titles), "author": len(joint)}
    # An open end: from the first year on is everything.
    first = min(r["year"] for r in seed.records)
    whole = nb.neighbourhood(seed_db, GEIGER, types=("author",), caps={"author": 100}, limit=1000,
                             years=(first, None))
    assert {n.id for n in whole.nodes} == everyone | {GEIGER}


def test_the_slider_spans_the_centre_s_years_and_bad_ranges_are_refused(seed_db, app) -> None:
    years = [r["year"] for r in read_seed().records]
    assert nb.year_span(seed_db, GEIGER) == (min(years), max(years))
    with pytest.raises(ValueError, match=r"year_from \(2022\) must not be after year_to \(2021\)"):
        nb.neighbourhood(seed_db, GEIGER, years=(2022, 2021))
    client = app.test_client()
    bad = client.get(f"/api/authors/{GEIGER}/neighbourhood?year_from=2022&year_to=2021")
    assert bad.status_code == 400 and "must not be after" in bad.get_json()["error"]["message"]
    assert client.get(f"/api/authors/{GEIGER}/neighbourhood?year_from=99").status_code == 400
    good = client.get(f"/api/authors/{GEIGER}/neighbourhood?year_from={RANGE[0]}&year_to={RANGE[1]}&types=author")
    assert {n["data"]["id"] for n in good.get_json()["nodes"]} - {GEIGER} == set(in_range(read_seed())[1])
