"""Widgets shared by the pages: the page shell (header with the search box), the error banner, figures, links."""

from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import Input, Output, State, ctx, dcc, html

from graph.errors import GraphError, GraphUnavailable
from views.links import entity_href

__all__ = ["TYPE_LABELS", "entity_href", "error_banner", "shell", "stat"]

SUGGESTIONS = 8
TYPE_LABELS = {"author": "Researcher", "paper": "Paper", "topic": "Topic", "institution": "Institution"}


def shell() -> html.Div:
    """The frame around every page: header with the search box, the page."""
    return html.Div(className="pg-shell", children=[
        dcc.Location(id="pg-url", refresh=False),
        html.Header(className="pg-header", children=[
            dcc.Link("peergraph", href="/", className="pg-brand"),
            search_box(),
            html.Nav(className="pg-nav", children=[
                dcc.Link("Explore", href="/explore"),
                dcc.Link("Paths", href="/paths"),
                dcc.Link("Cypher", href="/cypher"),
                html.A("API", href="/api/openapi.json"),
                dcc.Link("Feed", href="/feed"),
                dcc.Link("Account", href="/account"),
            ]),
        ]),
        html.Main(className="pg-main", children=[dash.page_container]),
    ])


def search_box() -> html.Form:
    """The header search: suggestions while typing; arrows + Enter pick one (assets/search.js).

    A plain form underneath, so Enter without a pick (or without JavaScript) opens /search?q=.
    """
    return html.Form(action="/search", method="get", className="pg-searchbox", role="search", children=[
        dcc.Input(id="pg-search-q", name="q", type="search", autoComplete="off", debounce=0.2,
                  placeholder="Search researchers, papers, topics, institutions...",
                  className="pg-searchbox-input"),
        html.Div(id="pg-search-suggest", className="pg-suggest", role="listbox"),
    ])


@dash.callback(Output("pg-search-suggest", "children"), Output("pg-search-q", "value"),
               Input("pg-search-q", "value"), Input("pg-url", "pathname"), Input("pg-url", "search"),
               State("pg-search-q", "value"))
def suggest(_typed: str | None, _path: str | None, _search: str | None, value: str | None) -> tuple[list, object]:
    """Suggestions for what is typed; cleared (box and list) when the page changes."""
    from graph import search as graph_search
    from graph.ext import get_db

    if ctx.triggered_id == "pg-url":
        return [], ""
    text = (value or "").strip()
    if len(text) < 2:
        return [], dash.no_update
    try:
        hits = graph_search.search(get_db(), text, limit=SUGGESTIONS)
    except GraphError as exc:
        return [html.Div(str(exc), className="pg-suggest-error")], dash.no_update
    items: list = [
        dcc.Link(href=entity_href(h.type, h.id), className="pg-suggest-item", children=[
            html.Span(TYPE_LABELS[h.type], className=f"pg-suggest-type pg-type-{h.type}"),
            html.Span(h.label, className="pg-suggest-label"),
            html.Span(h.detail or "", className="pg-suggest-detail"),
        ]) for h in hits]
    if not hits:
        items.append(html.Div(f"Nothing matches \u201c{text}\u201d", className="pg-suggest-empty"))
    items.append(dcc.Link(f"All results for \u201c{text}\u201d", href="/search?" + urlencode({"q": text}),
                          className="pg-suggest-item pg-suggest-all"))
    return items, dash.no_update


def error_banner(exc: GraphError) -> html.Div:
    """A visible banner saying what went wrong (no traceback ever reaches a user)."""
    if isinstance(exc, GraphUnavailable):
        text = f"The graph database is not reachable right now: {exc} The page will recover when it is back."
    else:
        text = str(exc)
    return html.Div(text, className="pg-banner pg-banner-error", role="alert")


def stat(label: str, value: int | str, note: str | None = None) -> html.Div:
    """One figure with its label (and an explanation on hover)."""
    return html.Div(className="pg-stat", title=note or "", children=[
        html.Div(f"{value:,}" if isinstance(value, int) else value, className="pg-stat-value"),
        html.Div(label, className="pg-stat-label"),
    ])
