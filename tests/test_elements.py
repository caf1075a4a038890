"""Element building, merging, ring positions, sizing, URL state and GraphML: pure functions, no database."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from dashboards import explore_widgets as w
from graph.neighbourhood import DEFAULT_CAPS, Edge, More, Node, Slice
from views import elements as el
from views import layout as lay


def author(i: str, works: int = 1, cited: int = 0, ring: int = 1, parent: str | None = "a0") -> Node:
    return Node(i, "author", {"id": i, "name": f"Person {i}", "works_count": works, "cited_by_count": cited},
                ring, parent)


def paper(i: str, cited: int = 0, parent: str | None = "a0") -> Node:
    return Node(i, "paper", {"id": i, "title": f"A rather long title of paper {i} about many things", "year": 2020,
                             "cited_by_count": cited, "type": "preprint"}, 1, parent)


def star(n_people: int = 5, n_papers: int = 3) -> Slice:
    centre = author("a0", works=40, cited=900, ring=0, parent=None)
    people = [author(f"a{i}", works=i, cited=i * 10) for i in range(1, n_people + 1)]
    papers = [paper(f"p{i}", cited=i) for i in range(1, n_papers + 1)]
    edges = [Edge("a0", p.id, "COAUTHOR", 2) for p in people] + [Edge("a0", p.id, "AUTHORED") for p in papers]
    edges.append(Edge("a1", "p1", "AUTHORED"))
    more = [More("a0", "COAUTHOR:both", "author", n_people, n_people + 7),
            More("a0", "AUTHORED:out", "paper", n_papers, n_papers)]
    return Slice("a0", [centre, *people, *papers], edges, more)


def nodes_of(elements: list[dict]) -> dict[str, dict]:
    return {e["data"]["id"]: e for e in elements if "source" not in e["data"]}


def edges_of(elements: list[dict]) -> dict[str, dict]:
    return {e["data"]["id"]: e for e in elements if "source" in e["data"]}


def test_slice_elements_have_the_contract_shape() -> None:
    sl = star()
    elements = el.slice_elements(sl)
    nodes, edges = nodes_of(elements), edges_of(elements)
    graph_nodes = {k: v for k, v in nodes.items() if v["data"]["type"] != "more"}
    assert set(graph_nodes) == {n.id for n in sl.nodes}
    for node in graph_nodes.values():
        data = node["data"]
        assert {"id", "label", "type", "size"} <= set(data)
        assert node["classes"].split()[0] == data["type"]
        assert el.MIN_SIZE <= data["size"] <= el.MAX_SIZE
        assert "position" in node
    assert "centre" in graph_nodes["a0"]["classes"].split()
    assert graph_nodes["p1"]["data"]["subtype"] == "preprint"     # the paper's own type, not the node type
    assert graph_nodes["p1"]["data"]["label"].endswith("…") and len(graph_nodes["p1"]["data"]["label"]) <= 42
    for edge in sl.edges:
        e = edges[edge.id]
        assert e["data"]["id"] == f"{edge.source}|{edge.type}|{edge.target}"
        assert (e["data"]["source"], e["data"]["target"], e["data"]["type"]) == (edge.source, edge.target, edge.type)
        assert e["classes"] == edge.type.lower()
    # One marker for the 7 people left out, none for the papers (all shown).
    markers = [v for v in nodes.values() if v["data"]["type"] == "more"]
    assert [(m["data"]["label"], m["data"]["count"]) for m in markers] == [("+7 more people", 7)]
    assert edges[f"a0|MORE|{markers[0]['data']['id']}"]["classes"] == "more"


def test_banner_says_what_is_left_out_and_nothing_when_complete() -> None:
    elements = el.slice_elements(star())
    text = el.banner_text(elements, "a0", "Person a0")
    assert text is not None and "Showing 5 of 12 people (+7 more)" in text
    complete = Slice("a0", star().nodes, star().edges, [More("a0", "AUTHORED:out", "paper", 3, 3)])
    assert el.banner_text(el.slice_elements(complete), "a0", "Person a0") is None
    assert "4 edges" in el.banner_text(el.slice_elements(complete), "a0", "x", edges_omitted=4)


@pytest.mark.parametrize(("n", "expected"), [
    (1, "1 more neighbour of 1 other node is left out. 1 edge among the shown nodes is left out."),
    (2, "4 more neighbours of 2 other nodes are left out. 2 edges among the shown nodes are left out."),
])
def test_banner_counts_agree_with_their_nouns(n: int, expected: str) -> None:
    # n other nodes with n neighbours each left out (1 in all for n=1, 4 for n=2), and n edges left out
    sl = star(n_people=n, n_papers=0)
    more = [More(f"a{i}", "COAUTHOR:both", "author", 0, n) for i in range(1, n + 1)]
    elements = el.slice_elements(Slice("a0", sl.nodes, sl.edges, more))
    assert el.banner_text(elements, "a0", "Person a0", edges_omitted=n) == (
        f"{expected} The grey '+N more' nodes load more when tapped.")
    # the centre's own line: "0 of 1 person", "0 of 2 people"
    centre = el.slice_elements(Slice("a0", sl.nodes, sl.edges, [More("a0", "AUTHORED:out", "paper", 0, n)]))
    noun = "paper" if n == 1 else "papers"
    assert el.banner_text(centre, "a0", "Person a0").startswith(f"Showing 0 of {n} {noun} (+{n} more) around")


def test_sizes_scale_with_works_or_citations() -> None:
    elements = el.slice_elements(star())
    by_works = {k: v["data"]["size"] for k, v in nodes_of(elements).items() if v["data"]["type"] != "more"}
    assert by_works["a0"] == el.MAX_SIZE                          # most works in view
    assert by_works["a1"] < by_works["a2"] < by_works["a5"] < by_works["a0"]
    assert by_works["p1"] == el.PLAIN_SIZE                        # papers have no works count
    by_cites = {k: v["data"]["size"] for k, v in nodes_of(el.resize(elements, "citations")).items()
                if v["data"]["type"] != "more"}
    assert by_cites["a0"] == el.MAX_SIZE and by_cites["p1"] < by_cites["p3"] < by_cites["a1"]
    with pytest.raises(ValueError):
        el.resize(elements, "height")


def box_overlaps(elements: list[dict]) -> list[tuple[str, str]]:
    """Pairs of nodes whose drawn boxes (data.size square; markers 26 x 18) overlap: the test's own rule."""
    nodes = [e for e in elements if "source" not in e["data"]]

    def wh(e: dict) -> tuple[float, float]:
        return (26.0, 18.0) if e["data"]["type"] == "more" else (e["data"]["size"], e["data"]["size"])

    out = []
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            (wa, ha), (wb, hb) = wh(a), wh(b)
            if (abs(a["position"]["x"] - b["position"]["x"]) < (wa + wb) / 2
                    and abs(a["position"]["y"] - b["position"]["y"]) < (ha + hb) / 2):
                out.append((a["data"]["id"], b["data"]["id"]))
    return out


@pytest.mark.parametrize("layout", ["force", "rings"])
@pytest.mark.parametrize("n", [1, 8, 40, 150])
def test_slice_layout_puts_the_centre_in_the_middle_and_no_two_nodes_together(layout: str, n: int) -> None:
    elements = el.slice_elements(star(n, n), layout=layout)
    nodes = nodes_of(elements)
    assert nodes["a0"]["position"] == {"x": 0.0, "y": 0.0}
    assert all("position" in v for v in nodes.values())
    assert box_overlaps(elements) == []
    # Deterministic: the same slice lays out the same (a permalink shows what was shared), computed afresh.
    lay.clear_cache()
    again = nodes_of(el.slice_elements(star(n, n), layout=layout))
    assert {k: v["position"] for k, v in again.items()} == {k: v["position"] for k, v in nodes.items()}


def test_rings_put_each_distance_further_out() -> None:
    second = [author(f"c{i}", works=1, ring=2, parent=f"a{i % 5 + 1}") for i in range(30)]
    sl = star(5, 3)
    sl = Slice("a0", [*sl.nodes, *second], [*sl.edges, *[Edge(f"a{i % 5 + 1}", c.id, "COAUTHOR", 1)
                                                         for i, c in enumerate(second)]], sl.more)
    nodes = nodes_of(el.slice_elements(sl, layout="rings"))
    distance = {k: math.hypot(v["position"]["x"], v["position"]["y"]) for k, v in nodes.items()}
    first_ring = [distance[f"a{i}"] for i in range(1, 6)] + [distance[f"p{i}"] for i in range(1, 4)]
    assert max(first_ring) < min(distance[c.id] for c in second)
    with pytest.raises(ValueError, match="layout must be one of force, rings"):
        el.slice_elements(sl, layout="spiral")


def test_force_layout_keeps_collaborators_closer_than_strangers() -> None:
    # Two groups of five, each a clique, joined through the centre only: a force layout keeps each group together.
    centre = author("a0", works=10, ring=0, parent=None)
    people = [author(f"g{g}{i}", works=3) for g in (1, 2) for i in range(5)]
    edges = [Edge("a0", p.id, "COAUTHOR", 1) for p in people]
    edges += [Edge(f"g{g}{i}", f"g{g}{j}", "COAUTHOR", 3) for g in (1, 2) for i in range(5) for j in range(i + 1, 5)]
    nodes = nodes_of(el.slice_elements(Slice("a0", [centre, *people], edges, [])))
    pos = {k: (v["position"]["x"], v["position"]["y"]) for k, v in nodes.items()}
    within = [math.dist(pos[f"g{g}{i}"], pos[f"g{g}{j}"]) for g in (1, 2) for i in range(5) for j in range(i + 1, 5)]
    across = [math.dist(pos[f"g1{i}"], pos[f"g2{j}"]) for i in range(5) for j in range(5)]
    assert sum(within) / len(within) < sum(across) / len(across)
    # ... and Louvain finds the two groups (the centre joins one of them), coloured apart, with a legend.
    colour = {k: v["data"].get("colour") for k, v in nodes.items()}
    assert len({colour[f"g1{i}"] for i in range(5)}) == 1 and len({colour[f"g2{i}"] for i in range(5)}) == 1
    assert colour["g10"] != colour["g20"] and None not in colour.values()
    legend = lay.legend(list(nodes.values()))
    assert sorted(g["size"] for g in legend) == [5, 6] and {g["colour"] for g in legend} == {colour["g10"],
                                                                                            colour["g20"]}
    assert next(g for g in legend if g["size"] == 6)["label"] == "Person a0"   # named after most works


def test_labels_are_ranked_centre_first_then_by_size() -> None:
    nodes = nodes_of(el.slice_elements(star(5, 3)))
    ranks = {k: v["data"]["rank"] for k, v in nodes.items()}
    assert ranks["a0"] == 0 and sorted(ranks.values()) == list(range(len(ranks)))
    assert ranks["a5"] < ranks["a4"] < ranks["a1"]                        # more works, earlier label
    assert all(ranks[m] > ranks["p1"] for m, v in nodes.items() if v["data"]["type"] == "more")


def test_resizing_by_citations_leaves_no_overlap() -> None:
    elements = el.slice_elements(star(30, 30))
    assert box_overlaps(el.resize_view(elements, "citations", "a0")) == []


def test_merge_keeps_old_positions_and_places_new_nodes_around_the_expanded_node() -> None:
    before = el.slice_elements(star())
    old = {k: dict(v["position"]) for k, v in nodes_of(before).items()}
    origin = old["a3"]
    new_people = [author(f"b{i}", works=2, parent="a3") for i in range(6)]
    expansion = Slice("a3", [author("a3", 3, ring=0, parent=None), author("a0", 40), *new_people],
                      [Edge("a0", "a3", "COAUTHOR", 2), *[Edge("a3", p.id, "COAUTHOR", 1) for p in new_people],
                       Edge("a0", "b1", "COAUTHOR", 1)],
                      [More("a3", "COAUTHOR:both", "author", 7, 30)])
    after = el.merge_expansion(before, expansion, "a3", "COAUTHOR:both")
    nodes = nodes_of(after)
    for node_id, position in old.items():
        assert nodes[node_id]["position"] == position, f"{node_id} moved"
    fresh = [nodes[f"b{i}"]["position"] for i in range(6)]
    # Around the expanded node: each newcomer nearer to it than to the centre, and nothing overlaps.
    for p in fresh:
        assert math.hypot(p["x"] - origin["x"], p["y"] - origin["y"]) < math.hypot(p["x"], p["y"])
    assert box_overlaps(after) == []
    edges = edges_of(after)
    assert "a0|COAUTHOR|b1" in edges and "a3|COAUTHOR|b0" in edges
    assert len([e for e in after if e["data"]["id"] == "a0|COAUTHOR|a3"]) == 1   # no duplicate of an edge in view
    assert len(after) == len({e["data"]["id"] for e in after})
    marker = nodes[el.more_id("a3", "COAUTHOR:both")]["data"]
    assert (marker["count"], marker["label"]) == (23, "+23 more people")
    # Merging the same expansion again changes nothing.
    again = el.merge_expansion(after, expansion, "a3", "COAUTHOR:both")
    assert sorted(nodes_of(again)) == sorted(nodes) and sorted(edges_of(again)) == sorted(edges)


def test_combined_marker_of_a_second_ring_node_gives_way_to_its_expansion() -> None:
    more = [More("a0", "COAUTHOR:both", "author", 1, 1), More("a1", "COAUTHOR:both", "author", 2, 6),
            More("a1", "AUTHORED:out", "paper", 1, 4)]
    sl = Slice("a0", [author("a0", ring=0, parent=None), author("a1")], [Edge("a0", "a1", "COAUTHOR", 1)], more)
    elements = el.slice_elements(sl)
    combined = nodes_of(elements)[el.more_id("a1", el.ALL_KEYS)]["data"]
    assert combined["count"] == 7 and combined["keys"] == {"COAUTHOR:both": 4, "AUTHORED:out": 3}
    expansion = Slice("a1", [author("a1", ring=0, parent=None), paper("p9", parent="a1")],
                      [Edge("a1", "p9", "AUTHORED")], [More("a1", "AUTHORED:out", "paper", 1, 4)])
    after = nodes_of(el.merge_expansion(elements, expansion, "a1", "AUTHORED:out"))
    assert after[el.more_id("a1", el.ALL_KEYS)]["data"]["keys"] == {"COAUTHOR:both": 4}
    assert after[el.more_id("a1", "AUTHORED:out")]["data"]["count"] == 3
    mine, others, where = el.left_out(list(after.values()), "a0")
    assert mine == [] and others == 7 and where == 1


def test_json_export_is_cytoscape_json() -> None:
    elements = el.slice_elements(star())
    doc = json.loads(el.to_json(elements))
    assert len(doc["elements"]["nodes"]) == len(nodes_of(elements))
    assert len(doc["elements"]["edges"]) == len(edges_of(elements))


def test_graphml_round_trips_through_networkx() -> None:
    elements = el.slice_elements(star())
    elements[1]["data"]["label"] = 'Smith & "Jones" <b>'            # must be escaped
    text = el.to_graphml(elements)
    ET.fromstring(text.encode())                                      # well-formed XML
    g = nx.parse_graphml(text)
    nodes, edges = nodes_of(elements), edges_of(elements)
    assert set(g.nodes) == set(nodes)
    assert g.number_of_edges() == len(edges)
    assert g.nodes[elements[1]["data"]["id"]]["label"] == 'Smith & "Jones" <b>'
    assert g.nodes["a0"]["type"] == "author" and g.nodes["a0"]["works_count"] == 40
    assert g.nodes["a0"]["x"] == 0.0
    assert g.edges["a0", "a1"]["type"] == "COAUTHOR" and g.edges["a0", "a1"]["weight"] == 2
    assert el.to_graphml([]).count("<node") == 0


def test_url_state_round_trips_and_bad_values_fall_back() -> None:
    state = {"centre": "arxiv:hep-th/9108001", "depth": 2, "types": ["author", "topic"],
             "caps": {**DEFAULT_CAPS, "paper": 5}, "expanded": [["name:geiger_m", "COAUTHOR:both"],
                                                                 ["doi:10.1/a|b", "AUTHORED:in"]],
             "size": "citations", "layout": "rings", "years": [2015, 2020]}
    search = w.query_string(state, "name:geiger_m")
    from urllib.parse import parse_qs

    query = {k: v if len(v) > 1 else v[0] for k, v in parse_qs(search[1:]).items()}
    back = w.state_from_query(query)
    assert back == state and query["selected"] == "name:geiger_m" and query["years"] == "2015-2020"
    default = w.state_from_query({"centre": "x", "depth": "9", "types": "bogus", "caps": "paper:abc",
                                  "expanded": ["nobar", "x|NOT_A_KEY"], "size": "height", "layout": "spiral",
                                  "years": "2020-2015"})
    assert default == {"centre": "x", "depth": 1, "types": ["author", "paper", "topic", "institution"],
                       "caps": DEFAULT_CAPS, "expanded": [], "size": "works", "layout": "force", "years": None}
    assert w.years_from_text("2015-") == [2015, 2100] and w.years_from_text("-1999") == [1600, 1999]
    assert w.years_from_text("1066-1070") is None and w.years_from_text("abc") is None
    assert w.query_string({"centre": "x", **{k: v for k, v in default.items() if k != "centre"}}) == "?centre=x"


def test_view_summary_counts_agree_with_their_nouns() -> None:
    one = el.slice_elements(Slice("a0", [author("a0", ring=0, parent=None)], [], []))
    assert w.summary(one) == "1 node (1 person), 0 edges"
    two = el.slice_elements(Slice("a0", [author("a0", ring=0, parent=None), author("a1"), paper("p1")],
                                  [Edge("a0", "a1", "COAUTHOR", 1)], []))
    assert w.summary(two) == "3 nodes (2 people, 1 paper), 1 edge"
