"""The explorer and the paths page in headless Chromium, over the loaded seed (expected values from the file)."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

import networkx as nx
import pytest
from selenium.webdriver.common.by import By

from tests.conftest import blank_browser, console_errors
from tests.conftest import wait_until as wait
from tests.explorer_data import GEIGER, Seed, load_seed, read_seed

pytestmark = pytest.mark.browser

CY = "const el = document.getElementById(arguments[0]); const cy = el && el._cyreg && el._cyreg.cy;"


@pytest.fixture(scope="module")
def seed() -> Seed:
    return read_seed()


@pytest.fixture(scope="module")
def seed_db(session_db, tmp_path_factory):
    load_seed(session_db, tmp_path_factory.mktemp("pages"))
    return session_db


@pytest.fixture
def chrome(browser_session, seed_db):
    yield from blank_browser(browser_session)


def graph_nodes(chrome, graph_id: str = "explore-graph") -> dict[str, dict] | None:
    """Nodes drawn by Cytoscape: id -> {type, x, y}, read from the cytoscape instance itself."""
    return chrome.execute_script(CY + """
        if (!cy) return null;
        const out = {};
        cy.nodes().forEach(n => { out[n.id()] = {type: n.data('type'), x: n.position('x'), y: n.position('y'),
                                                 label: n.data('label')}; });
        return out;""", graph_id)


def edge_count(chrome, graph_id: str = "explore-graph") -> int:
    return chrome.execute_script(CY + "return cy ? cy.edges().length : -1;", graph_id)


def real(nodes: dict[str, dict]) -> dict[str, dict]:
    return {k: v for k, v in nodes.items() if v["type"] != "more"}


def text_of(chrome, selector: str) -> str:
    return " ".join(e.text for e in chrome.find_elements(By.CSS_SELECTOR, selector))


def test_explore_expand_and_permalink(chrome, live_server, seed: Seed) -> None:
    chrome.get(f"{live_server}/explore?centre={GEIGER}")
    nodes = wait(lambda: graph_nodes(chrome), what="the explorer graph")
    shown = real(nodes)
    papers, people = len(seed.papers_of(GEIGER)), seed.coauthors.degree(GEIGER)
    n_topics = len({c for r in seed.papers_of(GEIGER) for c in r["categories"]})
    counts = {t: sum(1 for v in shown.values() if v["type"] == t) for t in ("author", "paper", "topic")}
    assert counts == {"author": 1 + min(people, 25), "paper": min(papers, 25), "topic": n_topics}
    assert f"Showing 25 of {people} people (+{people - 25} more)" in text_of(chrome, "#explore-banner")
    assert nodes[f"more|{GEIGER}|COAUTHOR:both"]["label"] == f"+{people - 25} more people"
    assert edge_count(chrome) > len(shown) - 1

    # Select a collaborator: the panel shows who it is and what can be expanded, with the counts.
    # (someone in view with a co-author who is not: one of the people left out of Geiger's 25)
    person = next(a for a in sorted(shown) if a != GEIGER and shown[a]["type"] == "author"
                  and set(seed.coauthors[a]) - set(shown))
    name = shown[person]["label"]
    chrome.execute_script(CY + "cy.getElementById(arguments[1]).emit('tap');", "explore-graph", person)
    wait(lambda: name in text_of(chrome, "#explore-panel-title"), what="the side panel")
    buttons = {b.text: b for b in chrome.find_elements(By.CSS_SELECTOR, "#explore-panel button")}
    label = f"Co-authors ({seed.coauthors.degree(person)})"
    assert label in buttons, list(buttons)
    before = graph_nodes(chrome)
    buttons[label].click()
    expected_new = set(seed.coauthors[person]) - set(before)
    assert expected_new
    after = wait(lambda: (n := graph_nodes(chrome)) and len(real(n)) > len(real(before)) and n,
                 what="the expansion")
    assert set(real(after)) == set(real(before)) | expected_new
    for node_id, old in before.items():           # nobody moved
        assert (round(after[node_id]["x"], 1), round(after[node_id]["y"], 1)) == (round(old["x"], 1),
                                                                                   round(old["y"], 1)), node_id
    sx, sy = after[person]["x"], after[person]["y"]

    def mean_distance(ids) -> float:
        return sum(((after[n]["x"] - sx) ** 2 + (after[n]["y"] - sy) ** 2) ** 0.5 for n in ids) / len(ids)

    # The newcomers take the free spots around the node: nearer to it, on average, than the view already was.
    assert mean_distance(expected_new) < mean_distance([n for n in before if n != person])

    # The URL holds the state; opening it again rebuilds the same view.
    wait(lambda: "expanded=" in chrome.current_url, what="the URL to follow the state")
    query = parse_qs(urlsplit(chrome.current_url).query)
    assert query["centre"] == [GEIGER] and query["expanded"] == [f"{person}|COAUTHOR:both"]
    assert query["selected"] == [person]
    chrome.get(chrome.current_url)
    again = wait(lambda: (n := graph_nodes(chrome)) and len(n) == len(after) and n, what="the permalink view")
    assert {k: (round(v["x"], 1), round(v["y"], 1)) for k, v in again.items()} == \
        {k: (round(v["x"], 1), round(v["y"], 1)) for k, v in after.items()}
    wait(lambda: name in text_of(chrome, "#explore-panel-title"), what="the selection from the URL")
    chrome.save_screenshot(str(live_server_shot("explore")))
    assert console_errors(chrome) == []


def test_depth_two_and_type_toggles(chrome, live_server, seed: Seed) -> None:
    chrome.get(f"{live_server}/explore?centre={GEIGER}&depth=2&types=author")
    nodes = wait(lambda: graph_nodes(chrome), what="the explorer graph")
    people = set(real(nodes))
    assert set(seed.coauthors[GEIGER]) <= people
    assert people <= set(nx.single_source_shortest_path_length(seed.coauthors, GEIGER, cutoff=2))
    assert all(v["type"] in ("author", "more") for v in nodes.values())
    # Ticking papers back on rebuilds the view with them.
    box = chrome.find_element(By.CSS_SELECTOR, "#explore-types input[value=paper]")
    box.click()
    wait(lambda: any(v["type"] == "paper" for v in (graph_nodes(chrome) or {}).values()), what="papers")
    wait(lambda: "types=author%2Cpaper" in chrome.current_url or "types=author,paper" in chrome.current_url,
         what="the URL")
    assert console_errors(chrome) == []


def test_paths_page_shows_hops_with_papers(chrome, live_server, seed: Seed) -> None:
    graph = seed.coauthors
    source, target = next((a, b) for a in sorted(graph[GEIGER]) for b in sorted(graph[GEIGER])
                          if a < b and not graph.has_edge(a, b)
                          and len(list(nx.all_shortest_paths(graph, a, b))) == 1)
    chrome.get(f"{live_server}/paths?from={quote(source)}&to={quote(target)}")
    answer = wait(lambda: text_of(chrome, "#paths-answer"), what="the answer")
    assert "are 2 hops apart: 1 shortest path" in answer
    listing = text_of(chrome, "#paths-list")
    for a, b in ((source, GEIGER), (GEIGER, target)):
        works = graph.edges[a, b]["works"]
        titles = seed.joint_titles(a, b)
        assert f"{works} joint work" in listing
        assert sum(1 for t in titles if t in listing) == min(5, works)
    nodes = wait(lambda: graph_nodes(chrome, "paths-graph"), what="the path graph")
    assert set(nodes) == {source, GEIGER, target} and edge_count(chrome, "paths-graph") == 2
    chrome.save_screenshot(str(live_server_shot("paths")))
    # Reloading the permalink gives the same answer.
    chrome.get(chrome.current_url)
    assert wait(lambda: text_of(chrome, "#paths-answer"), what="the answer again") == answer
    assert console_errors(chrome) == []


def test_paths_page_says_when_there_is_no_path(chrome, live_server, seed: Seed) -> None:
    parts = sorted(nx.connected_components(seed.coauthors), key=len, reverse=True)
    source, target = sorted(parts[0])[0], sorted(parts[1])[0]
    chrome.get(f"{live_server}/paths?from={quote(source)}&to={quote(target)}")
    answer = wait(lambda: text_of(chrome, "#paths-answer"), what="the answer")
    assert answer.startswith("No collaborator path within 6 hops between")
    assert console_errors(chrome) == []


def live_server_shot(name: str):
    from pathlib import Path

    folder = Path("/tmp/peergraph-screens")
    folder.mkdir(exist_ok=True)
    return folder / f"{name}.png"
