"""``/api/authors/<id>/neighbourhood``, ``/api/neighbourhood`` (+ expand, counts) against the real loaded seed.

Every expected number is computed from the seed file (tests/explorer_data.py).
"""

from __future__ import annotations

import pytest

from graph import neighbourhood as nb
from tests.explorer_data import GEIGER, Seed, category_counts, load_seed, read_seed


@pytest.fixture(scope="module")
def seed() -> Seed:
    return read_seed()


@pytest.fixture(scope="module")
def seed_db(session_db, tmp_path_factory):
    load_seed(session_db, tmp_path_factory.mktemp("explore"))
    return session_db


@pytest.fixture
def api(app, seed_db):
    return app.test_client()


def get(api, url: str, status: int = 200) -> dict:
    response = api.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def by_type(body: dict) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for node in body["nodes"]:
        out.setdefault(node["data"]["type"], set()).add(node["data"]["id"])
    return out


def test_depth_one_around_geiger_matches_his_records(api, seed: Seed) -> None:
    caps = "paper:100,author:100,topic:100,institution:100"
    body = get(api, f"/api/authors/{GEIGER}/neighbourhood?caps={caps}&limit=1000")
    mine = seed.papers_of(GEIGER)
    coauthors = set(seed.coauthors[GEIGER])
    types = by_type(body)
    assert body["centre"] == GEIGER and types["author"] == coauthors | {GEIGER}
    assert len(types["paper"]) == len(mine) == 24
    assert types["topic"] == set(category_counts(mine))
    assert "institution" not in types                            # the seed list names no institutions
    assert body["omitted"] == {} and body["more"] == []
    assert body["totals"] == {"paper": len(mine), "author": len(coauthors), "topic": len(category_counts(mine)),
                              "institution": 0}
    titles = {n["data"]["title"] for n in body["nodes"] if n["data"]["type"] == "paper"}
    assert titles == {r["title"] for r in mine}
    ids = {n["data"]["id"] for n in body["nodes"]}
    edges = {e["data"]["id"]: e["data"] for e in body["edges"]}
    assert all(e["source"] in ids and e["target"] in ids for e in edges.values())
    # Every co-authorship among the shown people is drawn once, with its joint works.
    expected = {tuple(sorted(pair)): seed.coauthors.edges[pair]["works"]
                for pair in seed.coauthors.subgraph(types["author"]).edges}
    drawn = {(e["source"], e["target"]): e["weight"] for e in edges.values() if e["type"] == "COAUTHOR"}
    assert drawn == expected
    # Topics hang off Geiger by the number of his papers about them.
    works_on = {e["target"]: e["weight"] for e in edges.values() if e["type"] == "WORKS_ON"}
    assert works_on == dict(category_counts(mine))


def test_caps_rank_and_count_what_is_left_out(api, seed: Seed) -> None:
    body = get(api, f"/api/authors/{GEIGER}/neighbourhood?caps=paper:5,author:4,topic:2,institution:0")
    types = by_type(body)
    degree = seed.coauthors.degree(GEIGER)
    n_topics = len(category_counts(seed.papers_of(GEIGER)))
    assert (len(types["paper"]), len(types["author"]) - 1, len(types["topic"])) == (5, 4, 2)
    assert body["omitted"] == {"paper": 24 - 5, "author": degree - 4, "topic": n_topics - 2}
    for more in body["more"]:
        assert more["shown"] + more["omitted"] == more["total"]
    # The people shown are those with most joint works.
    weights = sorted((seed.coauthors.edges[GEIGER, b]["works"] for b in seed.coauthors[GEIGER]), reverse=True)
    shown = sorted((seed.coauthors.edges[GEIGER, b]["works"] for b in types["author"] - {GEIGER}), reverse=True)
    assert shown == weights[:4]
    topics = category_counts(seed.papers_of(GEIGER))
    assert sorted((topics[t] for t in types["topic"]), reverse=True) == sorted(topics.values(), reverse=True)[:2]


def test_depth_two_stays_within_the_limit_and_accounts_for_every_node(api, seed: Seed) -> None:
    body = get(api, f"/api/authors/{GEIGER}/neighbourhood?depth=2&types=author&limit=1000")
    people = by_type(body)["author"]
    # Depth 2 over people only = Geiger, his co-authors and theirs (second ring capped per person).
    reachable = set(nx_ball(seed, GEIGER, 2))
    assert people <= reachable and set(seed.coauthors[GEIGER]) <= people
    for more in body["more"]:
        assert more["total"] == seed.coauthors.degree(more["node_id"])
        assert more["shown"] + more["omitted"] == more["total"]
    small = get(api, f"/api/authors/{GEIGER}/neighbourhood?depth=2&limit=50")
    assert len(small["nodes"]) == 20                                   # 40 % of the budget
    assert len(small["nodes"]) + len(small["edges"]) == 50             # edges fill the rest
    assert sum(m["omitted"] for m in small["more"]) > 0                # the cut is said, not silent
    assert small["edges_omitted"] > 0
    assert small["unexpanded"] and set(small["unexpanded"]) <= set(seed.coauthors[GEIGER])   # said, not silent
    ids = {n["data"]["id"] for n in small["nodes"]}
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in small["edges"])


def nx_ball(seed: Seed, centre: str, radius: int) -> list[str]:
    import networkx as nx

    return list(nx.single_source_shortest_path_length(seed.coauthors, centre, cutoff=radius))


def test_any_node_paper_topic_and_expand(api, seed: Seed) -> None:
    body = get(api, f"/api/authors/{GEIGER}/neighbourhood?types=paper&caps=paper:100")
    papers = {n["data"]["title"]: n["data"]["id"] for n in body["nodes"] if n["data"]["type"] == "paper"}
    record = next(r for r in seed.records if r["title"].startswith("e3nn: Euclidean"))
    paper = get(api, "/api/neighbourhood?id=" + papers[record["title"]])
    authors = [e["data"]["source"] for e in paper["edges"] if e["data"]["type"] == "AUTHORED"]
    ids = seed.authors[seed.records.index(record)]
    assert sorted(authors) == sorted(ids) and paper["centre"] == papers[record["title"]]
    order = [n["data"]["id"] for n in paper["nodes"] if n["data"]["type"] == "author"]
    assert order == ids                                                # byline order
    topic = get(api, "/api/neighbourhood?id=arxiv:cs.LG&types=paper,topic&caps=paper:3")
    n_lg = sum(1 for r in seed.records if "cs.LG" in r["categories"])
    assert topic["totals"]["paper"] == n_lg and topic["omitted"]["paper"] == n_lg - 3
    assert "arxiv:cs" in by_type(topic)["topic"]                       # PART_OF its field
    expanded = get(api, f"/api/neighbourhood/expand?id={GEIGER}&key=COAUTHOR:both&limit=3")
    assert len(by_type(expanded)["author"]) == 4
    assert expanded["more"] == [{"node_id": GEIGER, "key": "COAUTHOR:both", "neighbour_type": "author", "shown": 3,
                                 "total": seed.coauthors.degree(GEIGER),
                                 "omitted": seed.coauthors.degree(GEIGER) - 3}]
    counts = {c["key"]: c["count"] for c in get(api, f"/api/neighbourhood/counts?id={GEIGER}")["counts"]}
    assert counts == {"AUTHORED:out": 24, "COAUTHOR:both": seed.coauthors.degree(GEIGER),
                      "WORKS_ON:out": len(category_counts(seed.papers_of(GEIGER))), "AFFILIATED_WITH:out": 0}


def test_library_expand_joins_new_nodes_to_the_view(seed_db, seed: Seed) -> None:
    smidt = "name:smidt_t"
    view = {GEIGER: "author"}
    sl = nb.expand(seed_db, smidt, "COAUTHOR:both", limit=10, among=view)
    assert {n.id for n in sl.nodes} == set(seed.coauthors[smidt]) | {smidt}
    pairs = {(e.source, e.target) for e in sl.edges if e.type == "COAUTHOR"}
    expected = {tuple(sorted(p)) for p in seed.coauthors.subgraph(set(seed.coauthors[smidt]) | {smidt}).edges}
    assert pairs == expected


@pytest.mark.parametrize(("url", "status", "word"), [
    ("/api/authors/name:nobody_x/neighbourhood", 404, "name:nobody_x"),
    ("/api/authors/arxiv:cs.LG/neighbourhood", 404, "no author"),
    ("/api/neighbourhood?id=nothing:here", 404, "nothing:here"),
    ("/api/neighbourhood", 400, "'id' is required"),
    (f"/api/authors/{GEIGER}/neighbourhood?depth=3", 400, "depth"),
    (f"/api/authors/{GEIGER}/neighbourhood?types=people", 400, "types"),
    (f"/api/authors/{GEIGER}/neighbourhood?caps=paper:x", 400, "caps"),
    (f"/api/authors/{GEIGER}/neighbourhood?caps=paper:101", 400, "between 0 and 100"),
    (f"/api/authors/{GEIGER}/neighbourhood?caps=people:3", 400, "unknown type"),
    (f"/api/authors/{GEIGER}/neighbourhood?limit=9", 400, "limit"),
    (f"/api/authors/{GEIGER}/neighbourhood?limit=1001", 400, "limit"),
    (f"/api/neighbourhood/expand?id={GEIGER}&key=CITES:in", 400, "does not apply"),
    (f"/api/neighbourhood/expand?id={GEIGER}&key=FRIEND", 400, "key"),
    ("/api/neighbourhood/counts?id=nope", 404, "nope"),
])
def test_bad_input(api, url: str, status: int, word: str) -> None:
    body = get(api, url, status)
    assert word in body["error"]["message"]


def test_every_explorer_endpoint_is_in_the_openapi_document(app, api) -> None:
    doc = get(api, "/api/openapi.json")
    served = {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
              and rule.endpoint.split(".")[1] in {"author_neighbourhood", "neighbourhood", "expand", "counts",
                                                  "paths"}}
    assert len(served) == 5
    for rule in served:
        path = rule.replace("<path:author_id>", "{id}")
        assert path in doc["paths"] and "get" in doc["paths"][path], path
    for path in ("/api/authors/{id}/neighbourhood", "/api/neighbourhood", "/api/paths"):
        operation = doc["paths"][path]["get"]
        assert {"200", "400", "404", "503"} <= set(operation["responses"])
    assert {"Slice", "PathAnswer", "Element"} <= set(doc["components"]["schemas"])
