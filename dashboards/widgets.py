"""Layout pieces of the profile, topic, institution and search pages (data in, Dash components out).

No Cypher and no driver here: the pages call ``graph/`` and hand the results to these builders.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import dash_cytoscape as cyto
import plotly.graph_objects as go
from dash import dcc, html

from dashboards.components import TYPE_LABELS, entity_href
from dashboards.cyto_style import STYLESHEET, legend
from graph.db import Graph
from graph.neighbourhood import Edge, Node, neighbourhood
from views import elements as el
from views.layout import legend as community_legend


def badge_text(category: str) -> str:
    """The short arXiv badge of a category: cs.LG -> LG, physics.comp-ph -> COMP-PH, hep-th -> HEP-TH."""
    code = category.removeprefix("arxiv:")
    return (code.split(".", 1)[1] if "." in code else code).upper()


def not_found(kind: str, entity_id: str) -> html.Div:
    """The 404-style page for an unknown id."""
    return html.Div(className="pg-notfound", children=[
        html.H1("Not found"),
        html.P(f"No {kind} with id \u201c{entity_id}\u201d.", className="pg-notfound-text"),
        html.P(["Try the search box above, or go ", dcc.Link("home", href="/"), "."]),
    ])


def section(title: str, *children: Any, note: str | None = None, class_name: str = "") -> html.Section:
    return html.Section(className=f"pg-card {class_name}".strip(), children=[
        html.H2(title), *([html.P(note, className="pg-note")] if note else []), *children])


def author_links(authors: Sequence[dict[str, str]], *, complete: bool = True, total: int | None = None,
                 highlight: str | None = None) -> html.Span:
    """Every author as a link to their profile, in order; "et al." when the list is cut short."""
    parts: list[Any] = []
    for i, a in enumerate(authors):
        if i:
            parts.append(", ")
        cls = "pg-author-link pg-self" if a["id"] == highlight else "pg-author-link"
        parts.append(dcc.Link(a["name"], href=entity_href("author", a["id"]), className=cls))
    missing = (total or len(authors)) - len(authors)
    if missing > 0:
        parts.append(f" and {missing} more")
    if not complete:
        parts.append(" et al.")
    return html.Span(parts, className="pg-authors")


def work_item(work: Any, *, self_id: str | None = None) -> html.Li:
    """One work as the inspiring profile pages show it: badge, date, Code badge, title, authors, folded abstract."""
    head: list[Any] = [html.Span(badge_text(c), className="pg-badge", title=c) for c in work.categories[:1]]
    head.append(html.Span(work.date or (str(work.year) if work.year else "undated"), className="pg-date"))
    if work.type:
        head.append(html.Span(work.type, className="pg-kind"))
    if work.venue:
        head.append(html.Span(work.venue, className="pg-venue"))
    if work.has_code:
        head.append(html.A("Code", href=work.code_url, target="_blank", rel="noopener", className="pg-badge-code")
                    if work.code_url else html.Span("Code", className="pg-badge-code",
                                                    title="the source marks this work as having code"))
    if work.cited_by_count:
        head.append(html.Span(f"{work.cited_by_count:,} citations", className="pg-cites"))
    body: list[Any] = [
        html.Div(head, className="pg-work-head"),
        html.Div(work.title or "(untitled)", className="pg-work-title"),
        author_links(work.authors, complete=work.authors_complete, total=work.author_count, highlight=self_id),
    ]
    if work.abstract:
        body.append(html.Details([html.Summary("Abstract"), html.P(work.abstract)], className="pg-abstract"))
    return html.Li(body, className="pg-work")


def short_work_item(row: dict[str, Any]) -> html.Li:
    """A work in a list of recent works (topic and institution pages)."""
    head = [html.Span(badge_text(c), className="pg-badge", title=c) for c in row["categories"][:1]]
    head.append(html.Span(row["date"] or str(row["year"] or ""), className="pg-date"))
    return html.Li(className="pg-work", children=[
        html.Div(head, className="pg-work-head"),
        dcc.Link(row["title"] or "(untitled)", href=entity_href("paper", row["id"]), className="pg-work-title"),
        author_links(row["authors"], total=row["author_count"], complete=row.get("authors_complete", True)),
    ])


def per_year_figure(years: Sequence[Any], *, citations: bool) -> dcc.Graph:
    """Works per year as bars (and citations to each year's works as a line), over the whole career."""
    fig = go.Figure()
    fig.add_bar(x=[y.year for y in years], y=[y.works for y in years], name="works", marker_color="#2563eb")
    if citations:
        fig.add_scatter(x=[y.year for y in years], y=[y.citations for y in years], name="citations",
                        yaxis="y2", mode="lines+markers", line={"color": "#f59e0b"})
    fig.update_layout(
        height=260, margin={"l": 40, "r": 40, "t": 10, "b": 30}, plot_bgcolor="#fff", paper_bgcolor="#fff",
        legend={"orientation": "h", "y": 1.12}, bargap=0.2, xaxis={"dtick": 1 if len(years) <= 20 else None},
        yaxis={"title": "works", "rangemode": "tozero"},
        yaxis2={"title": "citations", "overlaying": "y", "side": "right", "rangemode": "tozero", "showgrid": False},
    )
    return dcc.Graph(figure=fig, config={"displayModeBar": False}, className="pg-chart", id="author-per-year")


def link_list(rows: Iterable[dict[str, Any]], kind: str, *, count_key: str = "works", unit: str = "works",
              extra: Any = None) -> html.Ul:
    """A list of entities with a count each ("Tess Smidt — 3 joint works")."""
    items = []
    for row in rows:
        n = row[count_key]
        items.append(html.Li([dcc.Link(row["name"], href=entity_href(kind, row["id"])),
                              html.Span(f" {n} {unit if n != 1 else unit.rstrip('s')}", className="pg-count"),
                              *(extra(row) if extra else [])]))
    return html.Ul(items, className="pg-list") if items else html.P("None in the graph.", className="pg-note")


def years(first: int | None, last: int | None) -> str:
    if first is None and last is None:
        return ""
    if first == last or last is None:
        return f" ({first})"
    return f" ({first}\u2013{last})" if first is not None else f" (until {last})"


def cyto_graph(element_id: str, elements: list[dict[str, Any]], *, height: str = "320px") -> html.Div:
    """A small read-only Cytoscape view with the shared stylesheet and a legend; positions come with the
    elements (views.layout), labels are placed by assets/graph_labels.js (class pg-graph)."""
    return html.Div(className="pg-minigraph", children=[
        cyto.Cytoscape(id=element_id, elements=elements, layout={"name": "preset", "fit": True, "padding": 20},
                       stylesheet=STYLESHEET, style={"width": "100%", "height": height}, userZoomingEnabled=False,
                       minZoom=0.2, maxZoom=2, className="pg-graph"),
        html.Div([html.Span([html.Span(className="pg-legend-dot", style={"background": colour}), text],
                            className="pg-legend-item") for colour, _shape, text in legend()]
                 + [html.Span([html.Span(className="pg-legend-dot", style={"background": g["colour"]}),
                               f"{g['label']}'s group ({g['size']})"], className="pg-legend-item")
                    for g in community_legend(elements)[:4]],
                 className="pg-legend"),
    ])


def star_elements(centre: dict[str, Any], others: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Elements of a star: the centre and its neighbours (each {id, name, type, rel, weight}), built, sized
    and laid out by the one element builder (views.elements)."""
    nodes = [Node(centre["id"], centre["type"], {"id": centre["id"], "name": centre["name"]})]
    edges = []
    for o in others:
        if o["id"] == centre["id"]:
            continue
        nodes.append(Node(o["id"], o["type"], {"id": o["id"], "name": o["name"]}, 1, centre["id"]))
        edges.append(Edge(centre["id"], o["id"], o["rel"], o.get("weight") or 1))
    elements = [el.node_element(n, centre=n.id == centre["id"]) for n in nodes] + [el.edge_element(e) for e in edges]
    return el.finish(elements, centre["id"])


def research_graph(db: Graph, author_id: str, name: str) -> html.Div:
    """The profile's "Research graph" panel: the explorer's depth-1 slice, small, by the explorer's rules."""
    sl = neighbourhood(db, author_id, depth=1, types=("author", "topic", "institution"),
                       caps={"author": 10, "topic": 6, "institution": 4, "paper": 0}, limit=30)
    return cyto_graph("author-graph", el.slice_elements(sl))


def search_result(hit: Any) -> html.Li:
    return html.Li(className="pg-result", children=[
        html.Span(TYPE_LABELS[hit.type], className=f"pg-suggest-type pg-type-{hit.type}"),
        dcc.Link(hit.label, href=entity_href(hit.type, hit.id), className="pg-result-label"),
        html.Span(hit.detail or "", className="pg-suggest-detail"),
    ])
