"""The profile's identity panel (issue 11): "this profile may hold several people", and split for those allowed.

The clusters load after the page (``graph.clusters``). An admin or the profile's verified owner sees a button
per cluster; it opens a dialog listing the cluster's works, and confirming splits them off into a new person
through ``accounts.identity.split`` (the right is checked there, on the server). The result's output id starts
with ``acct-``, so ``accounts.web`` demands the CSRF token of that callback.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html
from dash.development.base_component import Component

from accounts import identity as account_identity
from accounts import web as accounts_web
from accounts.store import AccountError
from dashboards.account_widgets import message
from dashboards.components import entity_href, error_banner
from graph import clusters as graph_clusters
from graph.errors import GraphError
from graph.ext import get_db
from loaders.corrections import IdentityError

SHOWN_WORKS = 8


def panel() -> html.Div:
    """Filled by ``show_identity`` once the page is there."""
    return html.Div([
        html.Div(id="identity-panel"),
        dcc.Store(id="identity-clusters"),
        dcc.Store(id="identity-chosen"),
        dcc.ConfirmDialog(id="identity-confirm"),
        html.Div(id="acct-identity-result"),
    ])


def _names(items: list[graph_clusters.Evidence]) -> str:
    return ", ".join(f"{e.name} ({e.works})" for e in items) or "none"


def _cluster(i: int, c: graph_clusters.WorkCluster, *, can_split: bool) -> html.Li:
    years = f"{c.first_year}–{c.last_year}" if c.first_year is not None else "no years"
    works = [html.Li(f"{w.title or w.id} ({w.year or 'no year'})") for w in c.works[:SHOWN_WORKS]]
    if len(c.works) > SHOWN_WORKS:
        works.append(html.Li(f"and {len(c.works) - SHOWN_WORKS} more", className="pg-note"))
    return html.Li(className="pg-identity-cluster", children=[
        html.Strong(f"Cluster {i + 1}: {len(c.works)} work{'s' if len(c.works) != 1 else ''}, {years}"),
        html.Div(f"Co-authors: {_names(c.coauthors)}", className="pg-note"),
        html.Div(f"Institutions: {_names(c.institutions)}", className="pg-note"),
        html.Div(f"Topics: {_names(c.topics)}", className="pg-note"),
        html.Ul(works),
        html.Button(f"Split these {len(c.works)} works off", id={"type": "identity-split", "index": i},
                    n_clicks=0, className="pg-action") if can_split else None,
    ])


def render(found: graph_clusters.Clusters, *, can_split: bool) -> Component:
    """The banner and the clusters, or nothing when the works form one body of work."""
    if not found.several_people:
        return html.Div()
    unplaced = (f" {len(found.unplaced)} work(s) are in no cluster: they have no co-author, institution or topic, "
                "or cut their author list and share none of these with a complete one." if found.unplaced else "")
    return html.Details(className="pg-banner pg-banner-warn pg-identity", open=False, children=[
        html.Summary(f"{found.message} ({len(found.clusters)} clusters)", id="identity-summary"),
        html.P("Works are linked when they share a co-author, an institution or a topic; each cluster below "
               "shares none with the others." + unplaced, className="pg-note"),
        html.Ol([_cluster(i, c, can_split=can_split) for i, c in enumerate(found.clusters)],
                id="identity-clusters-list"),
    ])


@dash.callback(Output("identity-panel", "children"), Output("identity-clusters", "data"),
               Input("author-id", "data"))
def show_identity(author_id: str) -> tuple[Component, list[list[str]]]:
    try:
        found = graph_clusters.clusters(get_db(), author_id)
    except GraphError as exc:
        return error_banner(exc), []
    acc = accounts_web.get()
    can_split = account_identity.may_split(acc.store, accounts_web.current_account(), author_id)
    return render(found, can_split=can_split), [[w.id for w in c.works] for c in found.clusters]


@dash.callback(Output("identity-confirm", "displayed"), Output("identity-confirm", "message"),
               Output("identity-chosen", "data"),
               Input({"type": "identity-split", "index": ALL}, "n_clicks"), State("identity-clusters", "data"),
               prevent_initial_call=True)
def ask(clicks: list[int], clusters: list[list[str]] | None) -> tuple[bool, str, Any]:
    """The dialog: which works move to a new person, and that later loads keep them apart."""
    chosen = ctx.triggered_id
    if not any(clicks) or not isinstance(chosen, dict) or not clusters or chosen["index"] >= len(clusters):
        return False, "", dash.no_update
    papers = clusters[chosen["index"]]
    return True, (f"Split the {len(papers)} work(s) of cluster {chosen['index'] + 1} off this profile into a new "
                  "person? Later loads keep them apart. Works: " + ", ".join(papers)), papers


@dash.callback(Output("acct-identity-result", "children"), Input("identity-confirm", "submit_n_clicks"),
               State("identity-chosen", "data"), State("author-id", "data"), prevent_initial_call=True)
def do_split(_submitted: int, papers: list[str] | None, author_id: str) -> Component:
    if not papers:
        return message("Choose a cluster first.", ok=False)
    acc = accounts_web.get()
    try:
        result = account_identity.split(acc.store, get_db(), accounts_web.current_account(), author_id, papers)
    except (AccountError, IdentityError) as exc:
        return message(str(exc), ok=False)
    except GraphError as exc:
        return error_banner(exc)
    if result.person is None:
        return message(result.line())
    return html.Div([message(result.line()), dcc.Link("Open the new profile", href=entity_href("author",
                                                                                               result.person))],
                    id="identity-done")
