"""Recommendations against the real sample: Adamic-Adar recomputed with networkx on the co-author graph
built from the seed file, the reasons and introducers, the topic peers, and the merging rules."""

from __future__ import annotations

import math
from itertools import combinations
from urllib.parse import quote

import networkx as nx
import pytest

from graph.recommend import combine
from tests.explorer_data import person
from tests.explorer_data import seed_records as records


def coauthor_graph() -> nx.Graph:
    g = nx.Graph()
    for r in records():
        keys = sorted({person(n) for n in r["authors"]})
        g.add_nodes_from(keys)
        for a, b in combinations(keys, 2):
            g.add_edge(a, b, works=g.get_edge_data(a, b, {"works": 0})["works"] + 1)
    return g


@pytest.fixture(scope="module")
def graph(sample_db):
    """The bundled sample, loaded once for this module."""
    return sample_db


@pytest.fixture(scope="module")
def api(app, graph):
    return app.test_client()


def find(api, name: str) -> str:
    hits = api.get("/api/search?type=author&q=" + quote(name)).get_json()["results"]
    assert hits and person(hits[0]["label"]) == person(name), hits
    return hits[0]["id"]


@pytest.mark.parametrize("name", ["Tess Smidt", "Matthieu Wyart", "Stefano Spigler", "Allan dos Santos Costa"])
def test_friends_of_friends_are_ranked_by_adamic_adar(api, name) -> None:
    g = coauthor_graph()
    me = person(name)
    expected = {c: score for _, c, score in nx.adamic_adar_index(g, [(me, c) for c in nx.non_neighbors(g, me)])
                if score > 0}
    assert expected, "the test needs a researcher with friends of friends"
    body = api.get(f"/api/authors/{quote(find(api, name), safe='')}/recommendations?limit=50").get_json()
    fof = [r for r in body["items"] if r["adamic_adar"] > 0]
    got = {person(r["name"]): r["adamic_adar"] for r in fof}
    assert set(got) == set(expected)
    for key, score in expected.items():
        assert math.isclose(got[key], score, rel_tol=1e-5), key
    scores = [r["adamic_adar"] for r in fof]
    assert scores == sorted(scores, reverse=True)
    assert body["items"][: len(fof)] == fof  # friends of friends come before topic-only peers
    neighbours = set(g[me])
    for r in body["items"]:
        assert person(r["name"]) not in neighbours | {me}  # never a co-author or oneself


def test_reasons_and_introducers_name_the_shared_coauthors(api) -> None:
    g = coauthor_graph()
    me = person("Tess Smidt")
    body = api.get(f"/api/authors/{quote(find(api, 'Tess Smidt'), safe='')}/recommendations?limit=50").get_json()
    for r in (r for r in body["items"] if r["adamic_adar"] > 0):
        other = person(r["name"])
        shared = set(nx.common_neighbors(g, me, other))
        assert {person(p["name"]) for p in r["shared_coauthors"]} == shared
        n = len(shared)
        assert r["reasons"][0].startswith(f"{n} shared co-author{'s' if n != 1 else ''}: ")
        best = max(min(g[me][z]["works"], g[z][other]["works"]) for z in shared)
        first = person(r["introducers"][0]["name"])
        assert min(g[me][first]["works"], g[first][other]["works"]) == best
        assert {person(p["name"]) for p in r["introducers"]} <= shared


def test_topic_peers_share_a_category_and_say_which(api) -> None:
    g = coauthor_graph()
    cats: dict[str, set[str]] = {}
    for rec in records():
        for n in rec["authors"]:
            cats.setdefault(person(n), set()).update(rec["categories"])
    me = person("Dejun Lin")  # BioNeMo: no friends of friends in the seed, but cs.LG peers
    body = api.get(f"/api/authors/{quote(find(api, 'Dejun Lin'), safe='')}/recommendations?limit=20").get_json()
    peers = [r for r in body["items"] if r["topic_score"] > 0]
    assert peers
    for r in peers:
        other = person(r["name"])
        if other in cats:  # people from the seed: the shared categories are the ones in the file
            shared = cats[me] & cats[other]
            assert {t["id"].removeprefix("arxiv:") for t in r["shared_topics"]} <= shared | {
                t["id"].removeprefix("arxiv:") for t in r["shared_topics"] if not t["id"].startswith("arxiv:")}
            assert other not in g[me]
        assert any(reason.startswith("both work on ") for reason in r["reasons"])


def test_limit_is_bounded_and_unknown_ids_are_404(api) -> None:
    author = quote(find(api, "Mario Geiger"), safe="")
    assert len(api.get(f"/api/authors/{author}/recommendations?limit=2").get_json()["items"]) <= 2
    assert api.get(f"/api/authors/{author}/recommendations?limit=51").status_code == 400
    assert api.get("/api/authors/name%3Anobody_x/recommendations").status_code == 404


def test_combine_merges_both_kinds_and_ranks_friends_of_friends_first() -> None:
    fof = [{"id": "b", "name": "B", "works_count": 1, "adamic_adar": 0.5, "shared": [
        {"id": "z1", "name": "Z1", "degree": 3, "with_author": 1, "with_candidate": 4},
        {"id": "z2", "name": "Z2", "degree": 2, "with_author": 2, "with_candidate": 2}]}]
    peers = [{"id": "c", "name": "C", "works_count": 1, "topic_score": 2.0,
              "shared": [{"id": "arxiv:cs.LG", "name": "Machine Learning", "scheme": "arxiv", "mine": 3, "theirs": 1}]},
             {"id": "b", "name": "B", "works_count": 1, "topic_score": 0.1,
              "shared": [{"id": "openalex:T1", "name": "Graphs", "scheme": "openalex", "mine": 1, "theirs": 1},
                         {"id": "arxiv:physics.comp-ph", "name": "Computational Physics", "scheme": "arxiv",
                          "mine": 2, "theirs": 2}]}]
    out = combine(fof, peers, limit=10)
    assert [r.id for r in out] == ["b", "c"]
    assert out[0].reasons == ["2 shared co-authors: Z2, Z1", "both work on physics.comp-ph and Graphs"]
    assert [p.id for p in out[0].introducers] == ["z2", "z1"]  # min joint works 2 beats 1
    assert out[1].reasons == ["both work on cs.LG"] and out[1].introducers == []
    assert len(combine(fof, peers, limit=1)) == 1
