"""Widgets shared by the pages: the page shell (header, search, banner) and small helpers."""

from __future__ import annotations

import dash
from dash import dcc, html

from graph.errors import GraphError, GraphUnavailable


def shell() -> html.Div:
    """The frame around every page: header with the search box, the error banner, the page."""
    return html.Div(className="pg-shell", children=[
        html.Header(className="pg-header", children=[
            dcc.Link("peergraph", href="/", className="pg-brand"),
            html.Nav(className="pg-nav", children=[
                dcc.Link("Explore", href="/explore"),
                dcc.Link("Paths", href="/paths"),
                dcc.Link("Cypher", href="/cypher"),
                html.A("API", href="/api/openapi.json"),
            ]),
        ]),
        html.Main(className="pg-main", children=[dash.page_container]),
    ])


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
