"""``/api/authors/<id>`` and ``/works`` against the real sample; expected values computed from the seed file.

Mario Geiger's co-authors, joint works, years and categories are recomputed here
from ``seeds/geiger-works.jsonl`` with a name rule of our own (last name + first
initial, accents stripped), applied to the file's names and to the names the API
answers alike, so the comparison does not depend on how the loader spells keys.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from urllib.parse import quote

import pytest

from tests.explorer_data import person, seed_records


@pytest.fixture(scope="module")
def graph(sample_db):
    """The bundled sample, loaded once for this module."""
    return sample_db


@pytest.fixture(scope="module")
def api(app, graph):
    return app.test_client()


@pytest.fixture(scope="module")
def geiger(api) -> dict:
    """Geiger's profile, found through the search API (not by guessing the id)."""
    hits = api.get("/api/search?q=Mario%20Geiger&type=author").get_json()["results"]
    assert hits and hits[0]["label"] == "Mario Geiger"
    answer = api.get(f"/api/authors/{quote(hits[0]['id'], safe='')}?collaborators=200&topics=100")
    assert answer.status_code == 200
    return answer.get_json()


def his_records() -> list[dict]:
    return [r for r in seed_records() if any(person(n) == "geiger_m" for n in r["authors"])]


def test_profile_counts_come_from_the_seed_file(geiger) -> None:
    mine = his_records()
    assert geiger["name"] == "Mario Geiger"
    assert geiger["counts"]["works"] == len(mine)
    incomplete = sum(1 for r in mine if not r["authors_complete"])
    assert geiger["counts"]["incomplete_works"] == incomplete
    assert any(f"{incomplete} of {len(mine)} works list only the first authors" in n for n in geiger["notes"])
    # The seed has no citation counts: the profile must say so rather than show a measured 0.
    assert geiger["counts"]["citations"] is None and geiger["counts"]["h_index"] is None
    assert any("No citation data" in n for n in geiger["notes"])
    assert geiger["affiliation"] is None and geiger["institutions"] == []


def test_collaborators_and_joint_works_match_the_file(geiger) -> None:
    joint: Counter[str] = Counter()
    years: dict[str, list[int]] = defaultdict(list)
    for r in his_records():
        for key in {person(n) for n in r["authors"]} - {"geiger_m"}:
            joint[key] += 1
            years[key].append(r["year"])
    got = {person(c["name"]): c for c in geiger["collaborators"]}
    assert set(got) == set(joint)
    assert {k: c["works"] for k, c in got.items()} == dict(joint)
    assert {k: (c["first_year"], c["last_year"]) for k, c in got.items()} == {
        k: (min(v), max(v)) for k, v in years.items()}
    assert geiger["counts"]["collaborators"] == len(joint)
    close = {k for k, n in joint.items() if n >= geiger["close_collaborator_works"]}
    assert geiger["counts"]["close_collaborators"] == len(close)
    assert {k for k, c in got.items() if c["close"]} == close
    works = [c["works"] for c in geiger["collaborators"]]
    assert works == sorted(works, reverse=True)


def test_topics_and_works_per_year_match_the_file(geiger) -> None:
    mine = his_records()
    per_category = Counter(c for r in mine for c in r["categories"])
    assert {t["id"].removeprefix("arxiv:"): t["works"] for t in geiger["topics"]} == dict(per_category)
    assert geiger["counts"]["topics"] == len(per_category)
    per_year = Counter(r["year"] for r in mine)
    rows = geiger["works_per_year"]
    assert [y["year"] for y in rows] == list(range(min(per_year), max(per_year) + 1))  # the whole career, gaps kept
    assert {y["year"]: y["works"] for y in rows if y["works"]} == dict(per_year)


def test_works_pages_cover_every_work_in_date_order(api, geiger) -> None:
    mine = {r["title"]: r for r in his_records()}
    author = quote(geiger["id"], safe="")
    items, offset = [], 0
    while True:
        page = api.get(f"/api/authors/{author}/works?limit=7&offset={offset}").get_json()
        assert page["total"] == len(mine) and page["limit"] == 7
        items += page["items"]
        offset += 7
        if offset >= page["total"]:
            break
    assert sorted(w["title"] for w in items) == sorted(mine)
    dates = [w["date"] for w in items]
    assert dates == sorted(dates, reverse=True)
    for work in items:
        source = mine[work["title"]]
        assert [person(a["name"]) for a in work["authors"]] == [person(n) for n in source["authors"]]
        assert work["categories"] == source["categories"]
        assert work["authors_complete"] == source["authors_complete"]
        assert work["has_code"] == source["has_code"] and work["code_url"] == source["code_url"]
        assert work["date"] == source["date"] and work["abstract"] == source["abstract"]


@pytest.mark.parametrize("query, message", [
    ("limit=0", "'limit' must be between 1 and 200"),
    ("limit=201", "'limit' must be between 1 and 200"),
    ("limit=ten", "'limit' must be an integer"),
    ("offset=-1", "'offset' must be between"),
])
def test_bad_paging_is_a_400_saying_what_was_wrong(api, geiger, query, message) -> None:
    answer = api.get(f"/api/authors/{quote(geiger['id'], safe='')}/works?{query}")
    assert answer.status_code == 400
    assert message in answer.get_json()["error"]["message"]


@pytest.mark.parametrize("path", [
    "/api/authors/name%3Anobody_x", "/api/authors/name%3Anobody_x/works",
    "/api/authors/name%3Anobody_x/recommendations", "/api/authors/openalex%3AA0%2Fwith%2Fslashes",
    "/api/authors/openalex%3AA0%2Fwith%2Fslashes/works",
])
def test_unknown_author_ids_are_404s(api, path) -> None:
    answer = api.get(path)
    assert answer.status_code == 404
    error = answer.get_json()["error"]
    assert error["code"] == "not_found" and "No researcher with id" in error["message"]
    if "slashes" in path:
        assert "openalex:A0/with/slashes" in error["message"]


def test_topic_and_institution_endpoints(api, graph) -> None:
    lg = api.get("/api/topics/arxiv%3Acs.LG")
    assert lg.status_code == 200
    body = lg.get_json()
    assert body["id"] == "arxiv:cs.LG" and any(p["id"] == "arxiv:cs" for p in body["parents"])
    assert "Mario Geiger" in {a["name"] for a in body["top_authors"]}
    assert api.get("/api/topics/openalex%3Asubfields%2F0").status_code == 404
    assert "openalex:subfields/0" in api.get("/api/topics/openalex%3Asubfields%2F0").get_json()["error"]["message"]
    assert api.get("/api/institutions/name%3Anowhere").status_code == 404
