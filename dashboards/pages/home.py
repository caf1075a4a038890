"""``/``: what is in the graph, and a way in."""

from __future__ import annotations

import dash
from dash import Input, Output, dcc, html

from dashboards.components import error_banner, stat
from graph import stats
from graph.errors import GraphError
from graph.ext import get_db

dash.register_page(__name__, path="/", title="peergraph", name="Home")

LABELS = [("Authors", "authors"), ("Papers", "papers"), ("Topics", "topics"), ("Institutions", "institutions")]
RELATIONS = [("AUTHORED", "authored"), ("COAUTHOR", "coauthor"), ("ABOUT", "about"),
             ("AFFILIATED_WITH", "affiliated_with"), ("CITES", "cites"), ("PART_OF", "part_of")]


def layout(**_query: str) -> html.Div:
    return html.Div(className="pg-home", children=[
        html.H1("Research collaboration, as a graph"),
        html.P("Look a researcher up, explore who they work with, and ask how two people are connected."),
        html.Form(action="/search", method="get", className="pg-search-form", children=[
            dcc.Input(id="home-search", name="q", type="search", placeholder="Search authors, papers, topics...",
                      className="pg-search-input", debounce=True, autoFocus=True),
            html.Button("Search", type="submit"),
        ]),
        html.Div(id="home-counts", className="pg-counts"),
        dcc.Interval(id="home-refresh", interval=30_000),
    ])


@dash.callback(Output("home-counts", "children"), Input("home-refresh", "n_intervals"))
def show_counts(_n: int | None) -> list:
    """The graph's counts per label and relationship type (or a banner when Neo4j is away)."""
    try:
        counts = stats.counts(get_db())
    except GraphError as exc:
        return [error_banner(exc)]
    figures = vars(counts)
    return [
        html.H2("In the graph"),
        html.Div(className="pg-stats", children=[stat(label, figures[key]) for label, key in LABELS]),
        html.Div(className="pg-stats pg-stats-small",
                 children=[stat(label, figures[key]) for label, key in RELATIONS]),
        html.P("The graph is empty: load data with `python -m loaders ...` (see the README)."
               if counts.empty else "", className="pg-note"),
    ]
