"""``/search?q=&type=``: full-text search results, grouped by type (the home page form posts here)."""

from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import dcc, html

from dashboards import widgets as w
from dashboards.components import TYPE_LABELS, error_banner
from graph import search
from graph.errors import GraphError
from graph.ext import get_db

dash.register_page(__name__, path="/search", title="Search · peergraph", name="Search")

LIMIT = 50


def layout(q: str | None = None, type: str | None = None, **_query: str) -> html.Div:
    text = (q or "").strip()
    kind = type if type in search.TYPES else None
    tabs = [dcc.Link("All", href="/search?" + urlencode({"q": text}),
                     className="pg-tab" + (" active" if kind is None else ""))]
    tabs += [dcc.Link(TYPE_LABELS[t] + "s", href="/search?" + urlencode({"q": text, "type": t}),
                      className="pg-tab" + (" active" if kind == t else "")) for t in search.TYPES]
    head = [html.H1("Search"),
            html.Form(action="/search", method="get", className="pg-search-form", children=[
                dcc.Input(name="q", value=text, type="search", className="pg-search-input", id="search-page-q",
                          placeholder="Search researchers, papers, topics, institutions..."),
                *([dcc.Input(name="type", value=kind, type="hidden")] if kind else []),
                html.Button("Search", type="submit"),
            ]),
            html.Nav(tabs, className="pg-tabs")]
    if not text:
        return html.Div([*head, html.P("Type a name, a title or a topic.", className="pg-note")])
    try:
        hits = search.search(get_db(), text, type=kind, limit=LIMIT)
    except GraphError as exc:
        return html.Div([*head, error_banner(exc)])
    if not hits:
        body = html.P(f"Nothing matches \u201c{text}\u201d.", className="pg-note", id="search-results")
    else:
        body = html.Ul([w.search_result(h) for h in hits], className="pg-results", id="search-results")
    return html.Div([*head, html.P(f"{len(hits)} result{'s' if len(hits) != 1 else ''} for \u201c{text}\u201d"
                                   + (" (the best 50)" if len(hits) == LIMIT else ""), className="pg-note"), body])
