"""Network exports (graph.export, /api/.../export, python -m graph.export) read back with networkx and csv.

The graph is loaded from a small publication list written here; every expected node set, edge set,
weight and attribute is computed from that list in plain Python, not from the app.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any
from urllib.parse import quote

import networkx as nx
import pytest

from graph import export as gx
from graph.db import Graph, GraphConfig, run_autocommit
from graph.errors import NotFound
from loaders import load_files

ROOT = Path(__file__).resolve().parent.parent

PEOPLE = {  # key -> (name, orcid, institution or None)
    "A": ("Ada Alpha", "0000-0001-0000-0001", {"name": "Institute of Examples, Lyon", "id": "ror:05xtest01"}),
    "B": ("Bo Beta", "0000-0001-0000-0002", {"name": "Beta University", "id": "ror:05xtest02"}),
    "C": ("Cy Gamma", "0000-0001-0000-0003", None),
    "D": ("Di Delta", "0000-0001-0000-0004", {"name": "Institute of Examples, Lyon", "id": "ror:05xtest01"}),
    "E": ("Ed Epsilon", "0000-0001-0000-0005", None),
    "F": ("Fay Zeta", "0000-0001-0000-0006", None),
    "G": ("Gus Eta", "0000-0001-0000-0007", None),
    "H": ("Hal Theta", "0000-0001-0000-0008", None),
}
PAPERS = [  # (authors, arXiv categories, citations)
    ("ABC", ["cs.LG"], 10),
    ("AB", ["cs.LG"], 4),
    ("DE", ["cs.LG"], 0),
    ("AF", ["math.CO"], 7),
    ("G", ["cs.LG"], 1),
    ("BH", ["stat.ML"], 2),
    ("A", ["math.CO"], 0),
]
LG = "arxiv:cs.LG"
INST = "ror:05xtest01"


def _id(key: str) -> str:
    return f"orcid:{PEOPLE[key][1]}"


def records() -> Iterator[dict[str, Any]]:
    for n, (keys, categories, cited) in enumerate(PAPERS):
        authors = [{"name": PEOPLE[k][0], "orcid": PEOPLE[k][1],
                    **({"institution": PEOPLE[k][2]} if PEOPLE[k][2] else {})} for k in keys]
        yield {"title": f"Export probe paper {n}", "authors": authors, "year": 2020 + n,
               "categories": categories, "cited_by_count": cited}


# -- the expected networks, from PAPERS alone --------------------------------------------------------------
WORKS = Counter(k for keys, _, _ in PAPERS for k in keys)
PAIRS = Counter(tuple(sorted(p)) for keys, _, _ in PAPERS for p in combinations(keys, 2))


def expected(members: set[str], min_works: int = 1) -> tuple[set[str], dict[frozenset[str], int]]:
    nodes = {k for k in members if WORKS[k] >= min_works}
    edges = {frozenset(p): w for p, w in PAIRS.items() if set(p) <= nodes}
    return {_id(k) for k in nodes}, {frozenset(map(_id, p)): w for p, w in edges.items()}


def topic_members(category: str) -> set[str]:
    return {k for keys, cats, _ in PAPERS if category in cats for k in keys}


def neighbourhood(key: str) -> set[str]:
    return {key} | {k for pair in PAIRS for k in pair if key in pair}


@pytest.fixture(scope="module")
def export_db(session_db: Graph, tmp_path_factory: pytest.TempPathFactory) -> Graph:
    folder = tmp_path_factory.mktemp("export")
    works = folder / "works.jsonl"
    works.write_text("".join(json.dumps(r) + "\n" for r in records()))
    run_autocommit(session_db, "maintenance/delete_all")
    summary = load_files(session_db, "works", [works], rejects=folder / "rejects.jsonl", progress=False)
    assert not (folder / "rejects.jsonl").exists() or not (folder / "rejects.jsonl").read_text(), summary
    return session_db


def text(db: Graph, scope: gx.Scope, fmt: str, part: str | None = None) -> str:
    return "".join(gx.stream(db, scope, fmt, part))


def as_sets(graph: nx.Graph) -> tuple[set[str], dict[frozenset[str], int]]:
    return set(graph.nodes), {frozenset((u, v)): int(d["weight"]) for u, v, d in graph.edges(data=True)}


def test_graphml_of_a_topic_reads_back_with_the_same_network(export_db: Graph) -> None:
    graph = nx.read_graphml(io.BytesIO(text(export_db, gx.Scope("topic", LG), "graphml").encode()))
    assert not graph.is_directed()
    assert as_sets(graph) == expected(topic_members("cs.LG"))
    ada = graph.nodes[_id("A")]
    assert ada["name"] == "Ada Alpha" and ada["works"] == WORKS["A"]
    assert ada["citations"] == sum(c for keys, _, c in PAPERS if "A" in keys)
    assert ada["institution"] == "Institute of Examples, Lyon"
    # Ada: two works about math.CO (Combinatorics), two about cs.LG; the tie goes to the smaller topic id.
    assert ada["main_topic"] == "Machine Learning"
    assert "institution" not in graph.nodes[_id("C")]  # no affiliation: no value, not an empty one


def test_gexf_of_a_topic_reads_back_with_the_same_network(export_db: Graph) -> None:
    graph = nx.read_gexf(io.BytesIO(text(export_db, gx.Scope("topic", LG), "gexf").encode()))
    assert as_sets(graph) == expected(topic_members("cs.LG"))
    assert graph.nodes[_id("B")]["label"] == "Bo Beta"
    assert graph.nodes[_id("B")]["works"] == WORKS["B"]


def test_a_broader_topic_takes_its_narrower_topics(export_db: Graph) -> None:
    graph = nx.read_graphml(io.BytesIO(text(export_db, gx.Scope("topic", "arxiv:cs"), "graphml").encode()))
    assert as_sets(graph) == expected(topic_members("cs.LG"))  # cs.LG is the only cs category here


def test_min_works_and_the_node_bound(export_db: Graph) -> None:
    graph = nx.read_graphml(io.BytesIO(text(export_db, gx.Scope("topic", LG, min_works=2), "graphml").encode()))
    assert as_sets(graph) == expected(topic_members("cs.LG"), min_works=2)
    stats = gx.Stats()
    bounded = "".join(gx.stream(export_db, gx.Scope("topic", LG, max_nodes=2), "graphml", stats=stats))
    graph = nx.read_graphml(io.BytesIO(bounded.encode()))
    most = sorted(topic_members("cs.LG"), key=lambda k: (-WORKS[k], _id(k)))[:2]
    assert set(graph.nodes) == {_id(k) for k in most}
    assert stats.cut and stats.nodes == 2 and "bounded at 2 authors" in bounded


@pytest.mark.parametrize(("scope", "members"), [
    (gx.Scope("author", _id("A")), neighbourhood("A")),
    (gx.Scope("institution", INST), {"A", "D"}),
    (gx.Scope("all", None), set(PEOPLE)),
])
def test_csv_lists_of_each_scope(export_db: Graph, scope: gx.Scope, members: set[str]) -> None:
    nodes = list(csv.DictReader(io.StringIO(text(export_db, scope, "csv", "nodes"))))
    edges = list(csv.DictReader(io.StringIO(text(export_db, scope, "csv", "edges"))))
    assert list(nodes[0]) == ["id", "name", "works", "citations", "main_topic", "institution"]
    want_nodes, want_edges = expected(members)
    assert {n["id"] for n in nodes} == want_nodes and len(nodes) == len(want_nodes)
    assert {frozenset((e["source"], e["target"])): int(e["weight"]) for e in edges} == want_edges
    assert len(edges) == len(want_edges)


def test_the_author_comes_first_in_their_own_network(export_db: Graph) -> None:
    nodes = list(csv.DictReader(io.StringIO(text(export_db, gx.Scope("author", _id("C"), min_works=3),
                                                 "csv", "nodes"))))
    # C has one work: the bound on works leaves C in (their own network) and their co-authors with 3+.
    assert [n["id"] for n in nodes] == [_id("C")] + sorted(_id(k) for k in "AB" if WORKS[k] >= 3)


# -- VOSviewer, against app.vosviewer.com/docs/file-types/map-and-network-file-type ------------------------
MAP_COLUMN = re.compile(r"id|label|description|url|x|y|cluster|weight<[^<>]+>|score<[^<>]+>")


def test_vosviewer_files_follow_the_manual(export_db: Graph) -> None:
    scope = gx.Scope("all", None)
    map_lines = text(export_db, scope, "vosviewer", "map").splitlines()
    network_lines = text(export_db, scope, "vosviewer", "network").splitlines()
    header = map_lines[0].split("\t")
    assert header[:2] == ["id", "label"] and all(MAP_COLUMN.fullmatch(h) for h in header)
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in map_lines[1:]]
    ids = [int(r["id"]) for r in rows]
    assert sorted(ids) == list(range(1, len(PEOPLE) + 1))
    assert all(1 <= int(r["cluster"]) <= 1000 for r in rows)
    for r in rows:  # a label or description with a comma or semicolon is quoted
        for key in ("label", "description"):
            if "," in r[key] or ";" in r[key]:
                assert r[key].startswith('"') and r[key].endswith('"'), r[key]
    by_orcid = {re.search(r"orcid:[\dX-]+", r["description"]).group(0): r for r in rows}
    assert set(by_orcid) == {_id(k) for k in PEOPLE}
    assert {by_orcid[_id(k)]["label"] for k in PEOPLE} == {name for name, _, _ in PEOPLE.values()}

    # The network file: no header, item id, item id, strength; each pair once.
    number = {orcid: int(r["id"]) for orcid, r in by_orcid.items()}
    links = {}
    for line in network_lines:
        a, b, strength = line.split("\t")
        links[frozenset((int(a), int(b)))] = int(strength)
    assert len(links) == len(network_lines)
    _, want = expected(set(PEOPLE))
    assert links == {frozenset(number[x] for x in pair): w for pair, w in want.items()}

    # Weights agree with the links; Louvain keeps D-E apart from the A-B-C group.
    ada = by_orcid[_id("A")]
    assert int(ada["weight<Links>"]) == sum(1 for p in PAIRS if "A" in p)
    assert int(ada["weight<Total link strength>"]) == sum(w for p, w in PAIRS.items() if "A" in p)
    assert int(ada["weight<Documents>"]) == WORKS["A"]
    cluster = {k: by_orcid[_id(k)]["cluster"] for k in PEOPLE}
    assert cluster["D"] == cluster["E"] != cluster["A"] == cluster["B"] == cluster["C"]


def test_vosviewer_label_quoting() -> None:
    assert gx._vos_label("Smith, J.") == '"Smith, J."'
    assert gx._vos_label('a\tb\n"c"') == "a b 'c'"
    assert gx._vos_label(None) == ""


# -- errors --------------------------------------------------------------------------------------------------
def test_unknown_ids_and_bad_requests_say_what_was_wrong(export_db: Graph) -> None:
    with pytest.raises(NotFound, match="No topic with id 'arxiv:nope'"):
        text(export_db, gx.Scope("topic", "arxiv:nope"), "graphml")
    # An existing topic nobody wrote about is an empty network, not an unknown id.
    assert text(export_db, gx.Scope("topic", LG, min_works=99), "csv", "nodes").splitlines() == [
        "id,name,works,citations,main_topic,institution"]
    with pytest.raises(gx.ExportError, match="unknown format 'pajek'"):
        text(export_db, gx.Scope("topic", LG), "pajek")
    with pytest.raises(gx.ExportError, match="the csv format has the parts nodes, edges, not 'map'"):
        text(export_db, gx.Scope("topic", LG), "csv", "map")
    with pytest.raises(gx.ExportError, match="needs its id"):
        gx.Scope("topic", None)
    with pytest.raises(gx.ExportError, match="max_nodes must be between 1 and"):
        gx.Scope("all", None, max_nodes=0)


# -- the web download ----------------------------------------------------------------------------------------
def test_api_streams_a_topic_network_as_a_download(app, export_db: Graph) -> None:
    client = app.test_client()
    response = client.get(f"/api/topics/{quote(LG, safe='')}/export?format=gexf")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.headers["Content-Disposition"] == 'attachment; filename="topic-arxiv_cs.LG-coauthors.gexf"'
    graph = nx.read_gexf(io.BytesIO(response.get_data()))
    assert as_sets(graph) == expected(topic_members("cs.LG"))

    edges = client.get(f"/api/institutions/{quote(INST, safe='')}/export?format=csv-edges")
    assert edges.status_code == 200 and edges.mimetype == "text/csv"
    assert edges.get_data(as_text=True).splitlines()[0] == "source,target,weight,type"


@pytest.mark.parametrize(("url", "status", "message"), [
    ("/api/topics/arxiv%3Anope/export", 404, "No topic with id 'arxiv:nope'"),
    ("/api/authors/orcid%3Anobody/export", 404, "No author with id 'orcid:nobody'"),
    ("/api/papers/x/export", 404, "no API endpoint at /api/papers/x/export"),
    (f"/api/topics/{quote(LG, safe='')}/export?format=pajek", 400, "'format' must be one of graphml"),
    (f"/api/topics/{quote(LG, safe='')}/export?max_nodes=0", 400, "'max_nodes' must be between 1 and 20000"),
])
def test_api_errors(app, export_db: Graph, url: str, status: int, message: str) -> None:
    response = app.test_client().get(url)
    assert response.status_code == status
    assert message in response.get_json()["error"]["message"]


# -- the command line ----------------------------------------------------------------------------------------
def test_command_line_writes_both_vosviewer_files(export_db: Graph, neo4j_config: GraphConfig,
                                                  tmp_path: Path) -> None:
    env = {**os.environ, "NEO4J_URI": neo4j_config.uri, "NEO4J_USER": neo4j_config.user,
           "NEO4J_PASSWORD": neo4j_config.password, "NEO4J_DATABASE": neo4j_config.database or ""}
    done = subprocess.run([sys.executable, "-m", "graph.export", "topic", LG, "--format", "vosviewer",
                           "--out", str(tmp_path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    want_nodes, want_edges = expected(topic_members("cs.LG"))
    assert f"{len(want_nodes)} authors, {len(want_edges)} co-authorships" in done.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["topic-arxiv_cs.LG-coauthors-vosviewer-map.txt",
                     "topic-arxiv_cs.LG-coauthors-vosviewer-network.txt"]
    assert len((tmp_path / names[0]).read_text().splitlines()) == len(want_nodes) + 1
    assert len((tmp_path / names[1]).read_text().splitlines()) == len(want_edges)

    bad = subprocess.run([sys.executable, "-m", "graph.export", "topic", "arxiv:nope", "--out", str(tmp_path)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "No topic with id 'arxiv:nope'" in bad.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == names  # nothing half-written left behind


# -- the pages' download control -----------------------------------------------------------------------------
def _links(component: Any) -> Iterator[str]:
    if isinstance(component, (list, tuple)):
        for child in component:
            yield from _links(child)
        return
    href = getattr(component, "href", None)
    if isinstance(href, str) and href.startswith("/api/") and "/export?" in href:
        yield href
    yield from _links(getattr(component, "children", None) or [])


@pytest.mark.parametrize(("page", "kind", "entity_id", "members"), [
    ("topic", "topic", LG, topic_members("cs.LG")),
    ("institution", "institution", INST, {"A", "D"}),
    ("author", "author", _id("A"), neighbourhood("A")),
])
def test_pages_offer_every_export_and_each_link_downloads(app, export_db: Graph, page: str, kind: str,
                                                          entity_id: str, members: set[str]) -> None:
    import importlib

    from dashboards.export_menu import CHOICES

    module = importlib.import_module(f"dashboards.pages.{page}")
    with app.test_request_context("/"):
        tree = module.layout(**{f"{kind}_id": quote(entity_id, safe="")})
    links = list(_links(tree))
    assert [link.rsplit("=", 1)[1] for link in links] == [fmt for fmt, _ in CHOICES]
    client = app.test_client()
    graph = nx.read_graphml(io.BytesIO(client.get(links[0]).get_data()))
    assert as_sets(graph) == expected(members)
    _, edges = expected(members)
    for link in links[1:]:
        response = client.get(link)
        assert response.status_code == 200, link
        lines = response.get_data(as_text=True).splitlines()
        if link.endswith(("-network", "-edges")):  # one line a co-authorship, after a header but in VOSviewer's
            assert len(lines) == len(edges) + (0 if link.endswith("-network") else 1), link
        else:
            assert len(lines) >= 2, link
