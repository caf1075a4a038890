"""The explorer API over the bundled sample (all four files), where other sources join the seed's people.

Only what the sample cannot change is compared with the seed file: Geiger's
papers exist only in the seed (no other source has him), so his papers,
co-authors, joint-work counts and topics are exactly the seed's; other
co-authors may have more (e.g. an arXiv author with the same name key).
"""

from __future__ import annotations

import pytest

from tests.explorer_data import GEIGER, Seed, category_counts, read_seed


@pytest.fixture(scope="module")
def seed() -> Seed:
    return read_seed(as_owner_list=True)


def test_geigers_neighbourhood_in_the_sample(sample_client, seed: Seed) -> None:
    caps = "paper:100,author:100,topic:100"
    body = sample_client.get(f"/api/authors/{GEIGER}/neighbourhood?caps={caps}&limit=1000").get_json()
    people = {n["data"]["id"] for n in body["nodes"] if n["data"]["type"] == "author"}
    papers = {n["data"]["title"] for n in body["nodes"] if n["data"]["type"] == "paper"}
    topics = {n["data"]["id"] for n in body["nodes"] if n["data"]["type"] == "topic"}
    assert people == set(seed.coauthors[GEIGER]) | {GEIGER}
    assert papers == {r["title"] for r in seed.papers_of(GEIGER)}
    assert topics == set(category_counts(seed.papers_of(GEIGER)))
    weights = {e["data"]["target"] if e["data"]["source"] == GEIGER else e["data"]["source"]: e["data"]["weight"]
               for e in body["edges"] if e["data"]["type"] == "COAUTHOR" and GEIGER in (e["data"]["source"],
                                                                                      e["data"]["target"])}
    assert weights == {b: seed.coauthors.edges[GEIGER, b]["works"] for b in seed.coauthors[GEIGER]}


def test_geiger_is_one_hop_from_each_coauthor_in_the_sample(sample_client, seed: Seed) -> None:
    for other in sorted(seed.coauthors[GEIGER])[::4]:
        body = sample_client.get(f"/api/paths?from={GEIGER}&to={other}").get_json()
        assert body["shortest"] == 1 and body["found"] == 1
        hop = body["paths"][0]["hops"][0]
        assert hop["works"] == seed.coauthors.edges[GEIGER, other]["works"]
        assert {p["title"] for p in hop["papers"]} <= seed.joint_titles(GEIGER, other)


def test_neighbourhood_of_sample_papers_topics_and_institutions(sample_client, sample_db) -> None:
    # Every kind of centre answers with a consistent slice: edges between drawn nodes, counts that add up.
    rows = sample_db.driver.execute_query(
        "CALL () { MATCH (p:Paper)<-[:AUTHORED]-() RETURN p.id AS id ORDER BY id LIMIT 1 "
        "UNION MATCH (t:Topic {level: 'topic'}) RETURN t.id AS id ORDER BY id LIMIT 1 "
        "UNION MATCH (i:Institution)<-[:AFFILIATED_WITH]-() RETURN i.id AS id ORDER BY id LIMIT 1 } RETURN id").records
    assert len(rows) == 3
    for row in rows:
        body = sample_client.get("/api/neighbourhood?depth=2&caps=paper:3,author:3&id=" + row["id"]).get_json()
        ids = {n["data"]["id"] for n in body["nodes"]}
        assert body["centre"] in ids and len(ids) == len(body["nodes"]) > 1
        assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in body["edges"])
        for more in body["more"]:
            assert more["shown"] + more["omitted"] == more["total"]
