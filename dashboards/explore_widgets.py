"""The explorer's and the paths page's pieces: URL state, view assembly, controls, side panel, path list.

The explorer's whole state is a small dict (centre, depth, types, caps,
expanded, size, layout, years) plus the selected node; it round-trips through the URL's query
string, so a copied link rebuilds the same view: the slice is deterministic
and expansions are replayed in order, each placing its new nodes around the
expanded node.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlencode

import dash_cytoscape as cyto
from dash import dcc, html

from dashboards import cyto_style
from dashboards.components import entity_href
from graph import neighbourhood as nb
from graph.db import Graph
from graph.paths import PathAnswer
from views import elements as el
from views import layout as lay
from views.params import parse_caps, parse_types

EXPAND_STEP = 25          # neighbours added per click on an expand button
MAX_VIEW_NODES = 1000     # expansions stop adding beyond this
GRAPH_STYLE = {"width": "100%", "height": "640px"}
STYLESHEET = [
    *cyto_style.STYLESHEET,
    {"selector": "edge.more", "style": {"line-style": "dashed", "line-color": "#94a3b8", "width": 1}},
    {"selector": "edge.works_on", "style": {"line-color": "#6ee7b7", "line-style": "dotted"}},
    {"selector": "node.more", "style": {"width": 26, "height": 18, "font-size": 9, "text-valign": "center"}},
]
TYPE_NAMES = {"author": "People", "paper": "Papers", "topic": "Topics", "institution": "Institutions"}


# -- state <-> URL ---------------------------------------------------------------------------------------
def one(value: Any) -> str | None:
    if isinstance(value, list):
        return value[-1] if value else None
    return value


def _many(value: Any) -> list[str]:
    if value is None:
        return []
    return [v for v in (value if isinstance(value, list) else [value]) if v]


def state_from_query(query: dict[str, Any]) -> dict[str, Any]:
    """The explorer state from URL query parameters; bad values fall back to the defaults."""
    depth = 2 if one(query.get("depth")) == "2" else 1
    types = parse_types(one(query.get("types")), strict=False)
    caps = parse_caps(one(query.get("caps")), strict=False)
    expanded = []
    for item in _many(query.get("expanded")):
        node_id, _, key = item.rpartition("|")
        if node_id and key in nb.EXPANSION_KEYS:
            expanded.append([node_id, key])
    size = one(query.get("size"))
    layout = one(query.get("layout"))
    return {"centre": one(query.get("centre")) or None, "depth": depth, "types": types, "caps": caps,
            "expanded": expanded, "size": size if size in el.SIZE_BY else "works",
            "layout": layout if layout in lay.LAYOUTS else "force",
            "years": years_from_text(one(query.get("years")))}


def years_from_text(text: str | None) -> list[int] | None:
    """``2015-2020`` (or ``2015-`` / ``-2020``) as ``[from, to]``; None for no range or a bad one."""
    lo, dash_, hi = (text or "").partition("-")
    if not dash_ or not (lo.strip().isdigit() or hi.strip().isdigit()):
        return None
    try:
        span = nb.clean_years((int(lo) if lo.strip() else None, int(hi) if hi.strip() else None))
    except ValueError:   # a hand-edited link: the whole range instead
        return None
    return list(span) if span else None


def years_text(years: list[int] | None) -> str:
    return f"{years[0]}-{years[1]}" if years else ""


def query_string(state: dict[str, Any], selected: str | None = None) -> str:
    """``?centre=...`` for a state (defaults left out, so links stay short)."""
    if not state.get("centre"):
        return ""
    params: list[tuple[str, str]] = [("centre", state["centre"])]
    if state.get("depth", 1) != 1:
        params.append(("depth", str(state["depth"])))
    if sorted(state.get("types", [])) != sorted(nb.NODE_TYPES):
        params.append(("types", ",".join(t for t in nb.NODE_TYPES if t in state["types"])))
    caps = state.get("caps", {})
    if any(caps.get(t) != n for t, n in nb.DEFAULT_CAPS.items()):
        params.append(("caps", ",".join(f"{t}:{caps.get(t, n)}" for t, n in nb.DEFAULT_CAPS.items())))
    params += [("expanded", f"{node_id}|{key}") for node_id, key in state.get("expanded", [])]
    if state.get("size", "works") != "works":
        params.append(("size", state["size"]))
    if state.get("layout", "force") != "force":
        params.append(("layout", state["layout"]))
    if state.get("years"):
        params.append(("years", years_text(state["years"])))
    if selected:
        params.append(("selected", selected))
    return "?" + urlencode(params, safe=":,/")


# -- view assembly ---------------------------------------------------------------------------------------
def build_view(db: Graph, state: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The elements for a state (the slice, then each expansion in order) and facts for the banner."""
    years = tuple(state["years"]) if state.get("years") else None
    sl = nb.neighbourhood(db, state["centre"], depth=state["depth"], types=state["types"], caps=state["caps"],
                          limit=nb.DEFAULT_LIMIT, years=years)
    centre = next(n for n in sl.nodes if n.id == sl.centre)
    elements = el.slice_elements(sl, size_by=state["size"], layout=state.get("layout", "force"))
    meta = {"centre_label": centre.label, "centre_type": centre.type, "edges_omitted": sl.edges_omitted,
            "unexpanded": len(sl.unexpanded), "full": False}
    seen: Counter[tuple[str, str]] = Counter()
    for node_id, key in state["expanded"]:
        seen[(node_id, key)] += 1
        elements, meta = apply_expansion(db, elements, meta, node_id, key, seen[(node_id, key)], state["size"],
                                         years)
    return elements, meta


def apply_expansion(db: Graph, elements: list[dict[str, Any]], meta: dict[str, Any], node_id: str, key: str,
                    times: int, size_by: str, years: tuple[int, ...] | None = None,
                    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """``elements`` with ``node_id`` expanded by ``key`` for the ``times``-th time (25 more each time)."""
    in_view = {e["data"]["id"]: e["data"]["type"] for e in elements
               if "source" not in e["data"] and e["data"]["type"] != "more"}
    if node_id not in in_view:
        return elements, meta
    if len(in_view) >= MAX_VIEW_NODES:
        return elements, {**meta, "full": True}
    try:
        ex = nb.expand(db, node_id, key, limit=min(EXPAND_STEP * times, nb.MAX_EXPAND), among=in_view,
                       years=(years[0], years[1]) if years else None)
    except ValueError:   # a key that does not apply to this node (a hand-edited URL): ignore it
        return elements, meta
    return el.merge_expansion(elements, ex, node_id, key, size_by=size_by), meta


def banner(elements: list[dict[str, Any]], state: dict[str, Any], meta: dict[str, Any]) -> list:
    text = el.banner_text(elements, state["centre"], meta.get("centre_label", state["centre"]),
                          edges_omitted=meta.get("edges_omitted", 0))
    out = []
    if text:
        out.append(html.Div(text, className="pg-banner pg-banner-warn ex-left-out", role="status"))
    if meta.get("unexpanded"):
        n = meta["unexpanded"]
        out.append(html.Div(f"Depth 2: the neighbourhoods of {n} more {'person' if n == 1 else 'people'} did not fit "
                            "in the view; tap one and expand it.", className="pg-banner pg-banner-warn",
                            role="status"))
    if meta.get("full"):
        out.append(html.Div(f"The view holds {MAX_VIEW_NODES} nodes: further expansions were not added.",
                            className="pg-banner pg-banner-warn", role="status"))
    return out


def summary(elements: list[dict[str, Any]]) -> str:
    c = el.counts(elements)
    parts = [f"{c[t]} {el.word_for(c[t], *nb.TYPE_WORDS[t])}" for t in nb.NODE_TYPES if c.get(t)]
    return (f"{c['nodes']} {el.word_for(c['nodes'], 'node', 'nodes')} ({', '.join(parts)}), "
            f"{c['edges']} {el.word_for(c['edges'], 'edge', 'edges')}")


# -- widgets ------------------------------------------------------------------------------------------------
def controls(state: dict[str, Any], span: tuple[int, int]) -> html.Div:
    """The explorer's controls; ``span`` bounds the year slider (the centre's first and last year of work)."""
    caps = state["caps"]
    years = state.get("years") or list(span)
    return html.Div(className="ex-controls", children=[
        html.Div(className="ex-control", children=[html.Label("Depth"), dcc.RadioItems(
            id="explore-depth", options=[{"label": " 1", "value": 1}, {"label": " 2", "value": 2}],
            value=state["depth"], inline=True)]),
        html.Div(className="ex-control", children=[html.Label("Show"), dcc.Checklist(
            id="explore-types", options=[{"label": f" {TYPE_NAMES[t]}", "value": t} for t in nb.NODE_TYPES],
            value=state["types"], inline=True)]),
        html.Div(className="ex-control ex-caps", children=[html.Label("At most, per node"), *[
            html.Label(className="ex-cap", children=[
                dcc.Input(id=f"explore-cap-{t}", type="number", min=0, max=nb.MAX_CAP, step=1, value=caps[t],
                          debounce=True),
                html.Span(TYPE_NAMES[t].lower())]) for t in nb.NODE_TYPES]]),
        html.Div(className="ex-control", children=[html.Label("Size by"), dcc.RadioItems(
            id="explore-size", options=[{"label": " works", "value": "works"},
                                        {"label": " citations", "value": "citations"}],
            value=state["size"], inline=True)]),
        html.Div(className="ex-control", children=[html.Label("Layout"), dcc.RadioItems(
            id="explore-layout", options=[{"label": " force", "value": "force"},
                                          {"label": " rings by distance", "value": "rings"}],
            value=state.get("layout", "force"), inline=True)]),
        html.Div(className="ex-control ex-years", children=[
            html.Label(f"Works from {years[0]} to {years[1]}", id="explore-years-label"),
            dcc.RangeSlider(id="explore-years", min=span[0], max=span[1], step=1, value=years, allowCross=False,
                            marks={span[0]: str(span[0]), span[1]: str(span[1])},
                            tooltip={"placement": "bottom", "always_visible": False}, updatemode="mouseup")]),
        html.Div(className="ex-control ex-find", children=[html.Label("Find in graph"), dcc.Input(
            id="explore-find-in-graph", type="search", placeholder="a name or title...", debounce=0.3,
            className="ex-find-input"), html.Span(id="explore-find-count", className="pg-note")]),
        html.Div(className="ex-control ex-export", children=[html.Label("Export"), *[
            html.Button(label, id=f"explore-export-{fmt}", n_clicks=0, className="ex-button")
            for fmt, label in (("png", "PNG"), ("svg", "SVG"), ("json", "JSON"), ("graphml", "GraphML"))]]),
    ])


def legend(elements: list[dict[str, Any]] | None = None) -> list:
    """The legend: node types by shape, then the view's communities by colour (named after a member)."""
    types = html.Div(className="ex-legend", children=[
        *[html.Span(className="ex-legend-item", children=[
            html.Span(className=f"ex-swatch ex-shape-{shape}", style={"background": colour}), text])
          for colour, shape, text in cyto_style.legend()],
        html.Span(className="ex-legend-item", children=[html.Span(className="ex-swatch ex-more"), "+N more"]),
    ])
    groups = lay.legend(elements or [])
    if not groups:
        return [types]
    return [types, html.Div(className="ex-legend ex-communities", children=[
        html.Span("Communities (co-authors, Louvain):", className="ex-legend-title"),
        *[html.Span(className="ex-legend-item", title=f"{g['size']} researchers", children=[
            html.Span(className="ex-swatch", style={"background": g["colour"]}),
            f"{g['label']} +{g['size'] - 1}"]) for g in groups[:len(lay.PALETTE)]],
        *([html.Span(className="ex-legend-item", children=[
            html.Span(className="ex-swatch", style={"background": lay.SMALL_GROUP}),
            f"{len(groups) - len(lay.PALETTE)} smaller groups"])] if len(groups) > len(lay.PALETTE) else []),
    ])]


def graph(elements: list[dict[str, Any]], graph_id: str = "explore-graph", *, height: int = 640,
          max_zoom: float = 4) -> cyto.Cytoscape:
    """A Cytoscape view with a preset layout: positions come with the elements (views.layout), so they stay put;
    class pg-graph brings the label placement and highlighting of assets/graph_labels.js."""
    return cyto.Cytoscape(id=graph_id, elements=elements, layout={"name": "preset", "fit": True, "padding": 30},
                          stylesheet=STYLESHEET, style={**GRAPH_STYLE, "height": f"{height}px"}, minZoom=0.05,
                          maxZoom=max_zoom, className="ex-graph pg-graph")


def _external_links(data: dict[str, Any]) -> list:
    links = []
    node_id = data["id"]
    if data.get("arxiv_id"):
        links.append(("arXiv", f"https://arxiv.org/abs/{data['arxiv_id']}"))
    if data.get("doi"):
        links.append(("DOI", f"https://doi.org/{data['doi']}"))
    if data.get("code_url"):
        links.append(("Code", data["code_url"]))
    if data.get("orcid"):
        links.append(("ORCID", f"https://orcid.org/{str(data['orcid']).rsplit('/', 1)[-1]}"))
    if node_id.startswith("openalex:"):
        links.append(("OpenAlex", "https://openalex.org/" + node_id.split(":", 1)[1]))
    if data.get("ror"):
        links.append(("ROR", f"https://ror.org/{str(data['ror']).rsplit('/', 1)[-1]}"))
    return [html.A(text, href=url, target="_blank", rel="noopener", className="ex-ext") for text, url in links]


def _facts(data: dict[str, Any]) -> list[tuple[str, str]]:
    kind = data["type"]
    rows: list[tuple[str, Any]] = []
    if kind == "author":
        rows = [("Works", data.get("works_count")), ("Citations", data.get("cited_by_count")),
                ("h-index", data.get("h_index"))]
    elif kind == "paper":
        rows = [("Date", data.get("date") or data.get("year")), ("Type", data.get("subtype")),
                ("Venue", data.get("venue")),
                ("Categories", ", ".join(data.get("categories") or []) or None),
                ("Citations", data.get("cited_by_count"))]
        if data.get("authors_complete") is False:
            rows.append(("Authors", "list incomplete in the source"))
    elif kind == "topic":
        rows = [("Scheme", data.get("scheme")), ("Level", data.get("level"))]
    elif kind == "institution":
        rows = [("Country", data.get("country")), ("Type", data.get("subtype"))]
    return [(k, f"{v:,}" if isinstance(v, int) else str(v)) for k, v in rows if v not in (None, "")]


def start_page() -> html.Div:
    """The explorer without a centre: a search to pick one."""
    return html.Div(className="ex-page", children=[
        html.H1("Explorer"), html.P("Pick a researcher, paper, topic or institution to start from."),
        dcc.Input(id="explore-find", type="search", debounce=0.3, placeholder="Search...",
                  className="pg-search-input", autoFocus=True),
        html.Div(id="explore-found", className="ex-found")])


def panel_for(db: Graph, elements: list[dict[str, Any]], selected: str | None, state: dict[str, Any],
              meta: dict[str, Any]) -> list:
    """The side panel for the node ``selected`` in a view (with its expansion counts from the graph)."""
    data = next((e["data"] for e in elements if e["data"]["id"] == selected and e["data"]["type"] != "more"), None)
    counts = nb.expansion_counts(db, data["id"]) if data else None
    return node_panel(data, counts, state["centre"], meta.get("centre_type"))


def node_panel(data: dict[str, Any] | None, counts: dict[str, int] | None, centre: str | None,
               centre_type: str | None) -> list:
    """The side panel for a selected node: details, links and expand buttons with counts."""
    if not data:
        return [html.P("Tap a node to see its details and expand it.", className="pg-note")]
    kind = data["type"]
    title = data.get("name") or data.get("title") or data["id"]
    links = [dcc.Link("Centre the explorer here", href="/explore?" + urlencode({"centre": data["id"]}),
                      className="ex-link")] if data["id"] != centre else []
    if kind in ("author", "topic", "institution"):
        links.insert(0, dcc.Link({"author": "Profile", "topic": "Topic page",
                                  "institution": "Institution page"}[kind], href=entity_href(kind, data["id"]),
                                 className="ex-link"))
    if kind == "author" and centre_type == "author" and centre and data["id"] != centre:
        links.append(dcc.Link("How are they connected?", className="ex-link",
                              href="/paths?" + urlencode({"from": centre, "to": data["id"]})))
    buttons = [html.Button(f"{x.label} ({(counts or {}).get(x.key, 0):,})",
                           id={"type": "explore-expand", "key": x.key}, n_clicks=0, className="ex-button",
                           disabled=not (counts or {}).get(x.key), title=f"Add up to {EXPAND_STEP} {x.key}")
               for x in nb.expansions_for(kind)]
    return [
        html.Div(cyto_style.NODE_TYPES.get(kind, cyto_style.NODE_TYPES["other"])[2], className="ex-kind"),
        html.H3(title, id="explore-panel-title"),
        html.Code(data["id"], className="ex-id"),
        html.Dl([item for k, v in _facts(data) for item in (html.Dt(k), html.Dd(v))], className="ex-facts"),
        html.Div(links + _external_links(data), className="ex-links"),
        html.H4("Expand"),
        html.Div(buttons, className="ex-expand"),
    ]


# -- paths --------------------------------------------------------------------------------------------------
def path_elements(answer: PathAnswer) -> list[dict[str, Any]]:
    """The paths as one graph (views.elements.path_elements): one column per distance from the start."""
    people: dict[str, str] = {}
    steps: dict[str, int] = {}
    hops: dict[str, nb.Edge] = {}
    for path in answer.paths:
        for step, person in enumerate(path.people):
            people.setdefault(person.id, person.name)
            steps.setdefault(person.id, step)
        for hop in path.hops:
            a, b = sorted((hop.source.id, hop.target.id))
            edge = nb.Edge(a, b, "COAUTHOR", hop.works)
            hops[edge.id] = edge
    return el.path_elements(people.items(), hops.values(), {answer.source.id, answer.target.id}, steps)


def path_list(answer: PathAnswer) -> list:
    """Each path as a numbered list of hops, each hop with its joint papers."""
    out = []
    for n, path in enumerate(answer.paths, 1):
        hops = []
        for hop in path.hops:
            papers = [html.Li([html.Span(p.title, className="px-paper-title"),
                               html.Span(f" ({p.year})" if p.year else "", className="px-paper-year")])
                      for p in hop.papers]
            if hop.more_papers:
                papers.append(html.Li(f"and {hop.more_papers} more", className="pg-note"))
            hops.append(html.Li(className="px-hop", children=[
                html.Div(className="px-hop-people", children=[
                    dcc.Link(hop.source.name, href=entity_href("author", hop.source.id)), " \u2014 ",
                    dcc.Link(hop.target.name, href=entity_href("author", hop.target.id)),
                    html.Span(f"  {hop.works} joint work{'s' if hop.works != 1 else ''}", className="px-works")]),
                html.Ul(papers, className="px-papers")]))
        out.append(html.Div(className="px-path", children=[
            html.H3(f"Path {n}: {path.length} hop{'s' if path.length != 1 else ''}"),
            html.Ol(hops, className="px-hops")]))
    return out
