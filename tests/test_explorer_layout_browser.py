"""The explorer's geometry as the browser draws it (issue 15): no overlapping nodes, labels that do not collide,
nobody moving when a node is expanded. Read from the Cytoscape instance on the page in headless Chromium.

Two real neighbourhoods: Mario Geiger's (the bundled sample) and that of the McMaster researcher with the most
co-authors in shared/data/openalex (found here from the file, and loaded with their works only).
"""

from __future__ import annotations

import functools
import gzip
import itertools
import json
import os
import re
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

import networkx as nx
import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By

from loaders import load_files
from tests.conftest import blank_browser, console_errors, shared_file
from tests.explorer_data import GEIGER, load_seed, read_seed

pytestmark = pytest.mark.browser

CY = "const el = document.getElementById(arguments[0]); const cy = el && el._cyreg && el._cyreg.cy;"
MAX_LABEL_OVERLAP = 0.10
MAX_MOVE_PX = 5.0
# The depth-2 views are photographed on every run (the canvas must render); into docs/img, the pictures
# docs/explorer-graph.md shows, only when asked (PEERGRAPH_UPDATE_DOC_IMAGES=1): a test run leaves the tree clean.
DOC_IMAGES = Path(__file__).resolve().parent.parent / "docs" / "img"
AUTHORSHIPS = re.compile(r'"authorships"\s*:\s*')


@functools.cache
def busiest_mcmaster_author() -> tuple[str, list[str], int]:
    """The author with the most distinct co-authors in the McMaster works (bylines of 50 or fewer), their works
    as JSON lines, and that co-author count."""
    coauthors: dict[str, set[str]] = defaultdict(set)
    lines: dict[str, list[str]] = defaultdict(list)
    decoder = json.JSONDecoder()
    with gzip.open(shared_file("openalex", "mcmaster-works.openalex.jsonl.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            # Only each record's authorships are decoded, not its 8 KB of abstract, topics and the rest: the
            # scan of the 110 MB file costs 2 s of CPU instead of 7. Outside a JSON string the key is the
            # record's own (a quote inside a string is escaped), and a work has no nested "authorships".
            key = AUTHORSHIPS.search(line)
            authorships = decoder.raw_decode(line, key.end())[0] if key else None
            ids = [a["author"]["id"] for a in authorships or [] if (a.get("author") or {}).get("id")]
            if len(ids) > 50:
                continue
            for i in ids:
                coauthors[i].update(x for x in ids if x != i)
                lines[i].append(line)
    best = max(coauthors, key=lambda i: (len(coauthors[i]), i))
    return "openalex:" + best.rsplit("/", 1)[-1], lines[best], len(coauthors[best])


@pytest.fixture(scope="module")
def mcmaster(session_db, tmp_path_factory):
    """Mario Geiger's works (the sample's file) and the busiest McMaster author's works, loaded; that author's id."""
    tmp = tmp_path_factory.mktemp("mcmaster")
    load_seed(session_db, tmp)
    author, works, n_coauthors = busiest_mcmaster_author()
    assert n_coauthors > 100
    (tmp / "works.jsonl").write_text("".join(works), encoding="utf-8")
    summary = load_files(session_db, "openalex", [tmp / "works.jsonl"], rejects=tmp / "rejects.jsonl", progress=False)
    assert summary.written > 100
    return author


@pytest.fixture
def chrome(browser_session, mcmaster):
    yield from blank_browser(browser_session)


def wait(predicate, timeout: float = 90.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except StaleElementReferenceException:   # the side panel was redrawn while being read
            value = None
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def geometry(chrome, graph_id: str = "explore-graph") -> dict | None:
    """Every node's box without and with its label, whether its label shows, and the label-placement runs."""
    return chrome.execute_script(CY + """
        if (!cy || !cy.nodes().length || !cy.scratch('_pgLabelRuns')) return null;
        const nodes = {};
        cy.nodes().forEach(n => {
            const body = n.boundingBox({includeLabels: false, includeOverlays: false});
            const text = n.boundingBox({includeNodes: false, includeEdges: false, includeLabels: true,
                                        includeOverlays: false});
            nodes[n.id()] = {x: n.position('x'), y: n.position('y'), type: n.data('type'),
                             body: [body.x1, body.y1, body.x2, body.y2], text: [text.x1, text.y1, text.x2, text.y2],
                             label: n.style('label'), opacity: parseFloat(n.style('text-opacity'))};
        });
        return {nodes: nodes, runs: cy.scratch('_pgLabelRuns'), zoom: cy.zoom()};""", graph_id)


def settled(chrome, previous_count: int = 0, graph_id: str = "explore-graph") -> dict:
    """The geometry once the view holds more than ``previous_count`` nodes and labels stopped changing."""
    last: dict = {}

    def ready():
        nonlocal last
        g = geometry(chrome, graph_id)
        if not g or len(g["nodes"]) <= previous_count:
            return None
        same = last and g["runs"] == last["runs"] and g["zoom"] == last["zoom"]
        last = g
        return g if same else None

    return wait(ready, what="a laid-out graph")


def hits(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def overlapping_nodes(g: dict) -> list[tuple[str, str]]:
    items = sorted(g["nodes"].items())
    return [(i, j) for k, (i, a) in enumerate(items) for j, b in items[k + 1:] if hits(a["body"], b["body"])]


def shown_labels(g: dict) -> dict[str, list[float]]:
    return {i: n["text"] for i, n in g["nodes"].items() if n["label"] and n["opacity"] > 0}


def label_overlap_share(g: dict) -> tuple[float, int]:
    shown = shown_labels(g)
    crossing = {i for i, a in shown.items() for j, b in shown.items() if i != j and hits(a, b)}
    return (len(crossing) / len(shown) if shown else 0.0), len(shown)


def check_view(g: dict, what: str, least: int = 10) -> int:
    assert overlapping_nodes(g) == [], what
    share, shown = label_overlap_share(g)
    assert share <= MAX_LABEL_OVERLAP, f"{what}: {share:.0%} of {shown} shown labels overlap"
    # Readable means labels, not their absence: at least ``least``, or a tenth of the nodes in a big view.
    assert shown >= min(len(g["nodes"]), max(least, len(g["nodes"]) // 10)), \
        f"{what}: only {shown} of {len(g['nodes'])} labels shown"
    return shown


def expand_someone(chrome, g: dict, centre: str) -> bool:
    """Tap a researcher (the centre last) and press an expand button (co-authors, else papers) that brings
    someone new: more of that kind than are in view around them."""
    people = sorted(i for i, n in g["nodes"].items() if n["type"] == "author" and i != centre)
    for person in [*people, centre]:   # the centre last: around Geiger at depth 2 only he has anyone left out
        chrome.execute_script(CY + "cy.getElementById(arguments[1]).emit('tap');", "explore-graph", person)
        wait(lambda p=person: p in [e.text for e in chrome.find_elements(By.CSS_SELECTOR, "#explore-panel .ex-id")],
             what="the side panel")
        for word, kind in (("Co-authors", "author"), ("Papers", "paper")):
            button = wait(lambda w=word: [b for b in chrome.find_elements(By.CSS_SELECTOR, "#explore-panel button")
                                          if b.text.startswith(w)], what="the expand buttons")[0]
            total = int(button.text.split("(")[1].rstrip(")").replace(",", ""))
            in_view = chrome.execute_script(
                CY + "return cy.getElementById(arguments[1]).neighborhood(`node[type = \"${arguments[2]}\"]`).length;",
                "explore-graph", person, kind)
            if button.is_enabled() and total > in_view:
                button.click()
                return True
    return False


@pytest.mark.parametrize("depth", [1, 2])
@pytest.mark.parametrize("who", ["geiger", "mcmaster"])
def test_no_overlaps_and_labels_that_do_not_collide(chrome, live_server, mcmaster, who: str, depth: int,
                                                  tmp_path: Path) -> None:
    centre = GEIGER if who == "geiger" else mcmaster
    chrome.get(f"{live_server}/explore?centre={quote(centre)}&depth={depth}")
    before = settled(chrome)
    shown = check_view(before, f"{who} depth {depth}")
    print(f"{who} depth {depth}: {len(before['nodes'])} nodes, {shown} labels shown, zoom {before['zoom']:.2f}")
    if depth == 2:
        shots = DOC_IMAGES if os.environ.get("PEERGRAPH_UPDATE_DOC_IMAGES") == "1" else tmp_path
        shots.mkdir(parents=True, exist_ok=True)
        canvas = chrome.find_element(By.ID, "explore-graph")
        chrome.execute_script("arguments[0].scrollIntoView();", canvas)   # the whole canvas in the window
        assert canvas.screenshot(str(shots / f"explorer-{who}-depth2.png"))

    if not expand_someone(chrome, before, centre):
        # Only Geiger's own works are loaded: at depth 2 his view can already hold everyone in them.
        seed = read_seed()
        drawn = {i for i, n in before["nodes"].items() if n["type"] == "author"}
        assert who == "geiger" and drawn == set(seed.coauthors[GEIGER]) | {GEIGER}, "nobody to expand"
        return
    after = settled(chrome, len(before["nodes"]))
    for node_id, old in before["nodes"].items():
        if node_id in after["nodes"] and old["type"] != "more":
            new = after["nodes"][node_id]
            moved = ((new["x"] - old["x"]) ** 2 + (new["y"] - old["y"]) ** 2) ** 0.5
            assert moved <= MAX_MOVE_PX, f"{node_id} moved {moved:.1f} px"
    shown = check_view(after, f"{who} depth {depth}, expanded")
    print(f"{who} depth {depth} expanded: {len(after['nodes'])} nodes, {shown} labels shown")
    assert console_errors(chrome) == []


def test_profile_graph_and_paths_view_follow_the_same_rules(chrome, live_server, mcmaster) -> None:
    # The profile's "Research graph" panel: the busiest McMaster author's depth-1 slice, small.
    chrome.get(f"{live_server}/author/{quote(mcmaster)}")
    g = settled(chrome, graph_id="author-graph")
    shown = check_view(g, "profile research graph", least=5)
    print(f"profile panel: {len(g['nodes'])} nodes, {shown} labels shown, zoom {g['zoom']:.2f}")
    # The paths view: two of that author's co-authors who never wrote together (in the loaded works, read
    # from the file, not from the app), with the most co-authors in common: up to ten paths through them.
    _, works, _ = busiest_mcmaster_author()
    g_works = nx.Graph()
    for line in works:
        ids = ["openalex:" + a["author"]["id"].rsplit("/", 1)[-1] for a in json.loads(line)["authorships"]
               if (a.get("author") or {}).get("id")]
        g_works.add_edges_from(itertools.combinations(dict.fromkeys(ids), 2))
    pairs = [(a, b) for a, b in itertools.combinations(sorted(g_works[mcmaster]), 2) if not g_works.has_edge(a, b)]
    common, a, b = max((len(list(nx.common_neighbors(g_works, *p))), *p) for p in pairs)
    chrome.get(f"{live_server}/paths?from={quote(a)}&to={quote(b)}&k=10")
    g = settled(chrome, graph_id="paths-graph")
    assert {a, b} <= set(g["nodes"]) and len(g["nodes"]) == 2 + min(common, 10)   # k = 10 paths of 2 hops
    shown = check_view(g, "paths view")
    print(f"paths view: {len(g['nodes'])} nodes, {shown} labels shown, zoom {g['zoom']:.2f}")
    assert console_errors(chrome) == []
