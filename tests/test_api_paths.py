"""``/api/paths``: shortest collaborator paths against networkx over the same seed records."""

from __future__ import annotations

from itertools import combinations

import networkx as nx
import pytest

from tests.explorer_data import GEIGER, Seed, load_seed, read_seed
from tests.loader_helpers import rows


@pytest.fixture(scope="module")
def seed() -> Seed:
    return read_seed(with_1991=True)


@pytest.fixture(scope="module")
def seed_db(session_db, tmp_path_factory):
    load_seed(session_db, tmp_path_factory.mktemp("paths"), with_1991=True)
    return session_db


@pytest.fixture
def api(app, seed_db):
    return app.test_client()


def paths(api, source: str, target: str, status: int = 200, **params) -> dict:
    query = "&".join(f"{k}={v}" for k, v in {"from": source, "to": target, **params}.items())
    response = api.get("/api/paths?" + query)
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def loaded_seed(db) -> Seed:
    """The seed as the graph's own AUTHORED edges give it: name-only authors are disambiguated into people
    (``docs/identity.md``), so a name key no longer names one node. Pairs as COAUTHOR keeps them: papers
    with more than 100 authors make none."""
    seed = Seed()
    for r in rows(db, "MATCH (a:Author)-[e:AUTHORED]->(p:Paper) WITH p, a, e ORDER BY e.position "
                      "RETURN p.id AS paper, p.title AS title, collect(a.id) AS ids ORDER BY paper"):
        ids = list(dict.fromkeys(r["ids"]))
        seed.records.append({"title": r["title"]})
        seed.authors.append(ids)
        seed.coauthors.add_nodes_from(ids)
        if len(ids) > 100:
            continue
        for a, b in combinations(ids, 2):
            works = seed.coauthors.get_edge_data(a, b, {"works": 0})["works"]
            seed.coauthors.add_edge(a, b, works=works + 1)
    return seed


def check_path(seed: Seed, path: dict, source: str, target: str) -> None:
    ids = [p["id"] for p in path["people"]]
    assert ids[0] == source and ids[-1] == target and len(set(ids)) == len(ids)
    assert path["length"] == len(path["hops"]) == len(ids) - 1
    for hop, (a, b) in zip(path["hops"], zip(ids, ids[1:], strict=False), strict=True):
        assert (hop["from"], hop["to"]) == (a, b)
        assert seed.coauthors.has_edge(a, b)
        assert hop["works"] == seed.coauthors.edges[a, b]["works"]
        titles = {p["title"] for p in hop["papers"]}
        assert titles <= seed.joint_titles(a, b)
        assert len(titles) == min(5, hop["works"]) and hop["more_papers"] == hop["works"] - len(titles)


def test_paths_between_geigers_coauthors_match_networkx(api, seed: Seed) -> None:
    people = sorted(seed.coauthors[GEIGER])
    pairs = list(combinations(people, 2))
    assert len(pairs) > 300
    lengths: set[int] = set()
    direct = [pair for pair in pairs if seed.coauthors.has_edge(*pair)]
    for source, target in pairs[::9] + direct[::3]:
        body = paths(api, source, target)
        expected = list(nx.all_shortest_paths(seed.coauthors, source, target))
        hops = len(expected[0]) - 1
        lengths.add(hops)
        assert body["shortest"] == hops and body["reason"] is None
        assert body["found"] == min(len(expected), 100)
        assert len(body["paths"]) == min(3, len(expected))
        assert {tuple(p["id"] for p in path["people"]) for path in body["paths"]} <= {tuple(p) for p in expected}
        for path in body["paths"]:
            check_path(seed, path, source, target)
    assert lengths == {1, 2}                      # co-authors of one person: direct, or through him
    assert paths(api, people[0], people[1])["from"]["name"] in seed.names[people[0]] | {
        " ".join(n.split()) for n in seed.names[people[0]]}


def test_longer_paths_and_k(api, seed_db) -> None:
    seed = loaded_seed(seed_db)
    lengths = dict(nx.all_pairs_shortest_path_length(seed.coauthors))
    source, target = max(((a, b) for a in sorted(lengths) for b in sorted(lengths[a]) if a < b),
                         key=lambda ab: (lengths[ab[0]][ab[1]], ab))
    hops = lengths[source][target]
    # Geiger's works make a star around him once name keys no longer merge people: 2 hops is the longest.
    assert hops >= 2
    expected = {tuple(p) for p in nx.all_shortest_paths(seed.coauthors, source, target)}
    for k in (1, 10):
        body = paths(api, source, target, k=k)
        assert body["shortest"] == hops and len(body["paths"]) == min(k, len(expected))
        for path in body["paths"]:
            assert tuple(p["id"] for p in path["people"]) in expected
            check_path(seed, path, source, target)
    # Strongest first: the summed joint works never increase down the list.
    strengths = [sum(h["works"] for h in p["hops"]) for p in paths(api, source, target, k=10)["paths"]]
    assert strengths == sorted(strengths, reverse=True)
    short = paths(api, source, target, max_hops=hops - 1)
    assert short["paths"] == [] and short["shortest"] == hops
    assert f"within {hops - 1} hop" in short["reason"] and f"the shortest has {hops} hops" in short["reason"]


def test_no_path_is_a_clear_answer(api, seed: Seed) -> None:
    parts = sorted(nx.connected_components(seed.coauthors), key=len, reverse=True)
    assert len(parts) > 1
    source, target = sorted(parts[0])[0], sorted(parts[1])[0]
    body = paths(api, source, target)
    assert body["paths"] == [] and body["shortest"] is None and body["found"] == 0
    assert body["reason"].startswith("No collaborator path within 6 hops between")
    assert body["from"]["id"] == source and body["to"]["id"] == target


@pytest.mark.parametrize(("params", "status", "word"), [
    ({"from": GEIGER, "to": GEIGER}, 400, "different"),
    ({"from": GEIGER}, 400, "'to' is required"),
    ({"from": GEIGER, "to": "name:smidt_t", "k": 0}, 400, "'k'"),
    ({"from": GEIGER, "to": "name:smidt_t", "k": 11}, 400, "'k'"),
    ({"from": GEIGER, "to": "name:smidt_t", "max_hops": 7}, 400, "max_hops"),
    ({"from": GEIGER, "to": "name:smidt_t", "max_hops": "two"}, 400, "max_hops"),
    ({"from": GEIGER, "to": "name:nobody_x"}, 404, "name:nobody_x"),
    ({"from": "arxiv:cs.LG", "to": GEIGER}, 404, "arxiv:cs.LG"),
])
def test_bad_input(api, params: dict, status: int, word: str) -> None:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = api.get("/api/paths?" + query)
    assert response.status_code == status
    assert word in response.get_json()["error"]["message"]


def test_neo4j_unreachable_is_a_503() -> None:
    from flask import Flask

    import api
    from graph import ext
    from graph.db import Graph, GraphConfig

    app = Flask("unreachable")
    with Graph.connect(GraphConfig(uri="bolt://127.0.0.1:9", password="x", connection_timeout=1,
                                   max_retry_time=0)) as down:
        app.config["GRAPH"] = down
        ext.init_app(app)
        api.init_app(app)
        client = app.test_client()
        for url in (f"/api/paths?from={GEIGER}&to=name:smidt_t", f"/api/authors/{GEIGER}/neighbourhood",
                    f"/api/neighbourhood/counts?id={GEIGER}"):
            response = client.get(url)
            assert response.status_code == 503, url
            assert "not reachable" in response.get_json()["error"]["message"]
