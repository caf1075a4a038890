"""``/add-data``: search OpenAlex for a researcher, institution or topic, harvest it, refresh it later.

The harvest runs as a Dash background callback (dashboards/background.py) and
reports its progress through the callback's progress outputs.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html

from graph.errors import GraphError
from graph.server import ServerError
from loaders.harvest import service
from loaders.harvest.http import HarvestError

dash.register_page(__name__, path="/add-data", title="Add data - peergraph", name="Add data")

KIND_OPTIONS = [{"label": "Researcher", "value": "author"}, {"label": "Institution", "value": "institution"},
                {"label": "Topic", "value": "topic"}]


def may_start_harvest() -> bool:
    """Whether the current visitor may start or refresh a harvest: anyone while no account exists, then admins.

    This only sets the button; the server refuses the callback itself (accounts.web._check_harvest).
    """
    from accounts import web as accounts_web

    return accounts_web.may_harvest()


def layout(**_query: str) -> html.Div:
    return html.Div(className="pg-add-data", children=[
        html.H1("Add data"),
        html.P("Harvest a researcher's, an institution's or a topic's works from OpenAlex into the graph."),
        dcc.RadioItems(id="add-kind", options=KIND_OPTIONS, value="author", inline=True),
        html.Div(className="pg-search-form", children=[
            dcc.Input(id="add-query", type="search", placeholder="a name, e.g. Mario Geiger", debounce=True),
            html.Button("Search OpenAlex", id="add-search"),
        ]),
        html.Div(id="add-search-note", className="pg-note"),
        dcc.RadioItems(id="add-pick", options=[], className="pg-candidates"),
        html.Label(["At most ", dcc.Input(id="add-max", type="number", min=1, value=500, style={"width": "7em"}),
                    " works"]),
        html.Button("Start harvest", id="add-start", disabled=not may_start_harvest()),
        html.Progress(id="add-progress", value="0", max="1"),
        html.Div(id="add-status", className="pg-note"),
        html.H2("Harvested scopes"),
        html.Div(id="add-scopes"),
    ])


@dash.callback(Output("add-pick", "options"), Output("add-pick", "value"), Output("add-search-note", "children"),
               Input("add-search", "n_clicks"), Input("add-query", "value"), State("add-kind", "value"),
               prevent_initial_call=True)
def find(_clicks: int | None, text: str | None, kind: str) -> tuple[list[dict[str, str]], Any, str]:
    """OpenAlex's candidates for what was typed."""
    if not text or not text.strip():
        return [], None, "Type a name first."
    try:
        found = service.search(kind, text.strip())
    except HarvestError as exc:
        return [], None, f"OpenAlex search failed: {exc}"
    if not found:
        return [], None, f"OpenAlex knows no {kind} named {text.strip()!r}."
    return ([{"label": c.label, "value": c.id} for c in found], found[0].id,
            f"{len(found)} candidates: pick one and start.")


@dash.callback(
    Output("add-status", "children"),
    Input("add-start", "n_clicks"), Input({"type": "add-refresh", "job": ALL}, "n_clicks"),
    State("add-kind", "value"), State("add-pick", "value"), State("add-max", "value"),
    background=True, prevent_initial_call=True,
    running=[(Output("add-start", "disabled"), True, False)],
    progress=[Output("add-progress", "value"), Output("add-progress", "max"), Output("add-status", "title")],
)
def harvest(set_progress: Any, start: int | None, refresh: list[int | None], kind: str, pick: str | None,
            max_works: int | None) -> str:
    """Run the harvest the button asked for, reporting progress; the closing summary, or what went wrong."""
    # Authorised before this runs (accounts.web._check_harvest): a background callback has no request to read.

    def report(done: int, total: int | None, text: str) -> None:
        set_progress((str(done), str(total or max(done, 1)), text))

    trigger = ctx.triggered_id
    try:
        if isinstance(trigger, dict):
            if not any(refresh):
                raise dash.exceptions.PreventUpdate
            summary = service.refresh(trigger["job"], report)
        else:
            if not pick:
                return "Search and pick a candidate first."
            summary = service.start(kind, pick, int(max_works) if max_works else None, report)
    except HarvestError as exc:
        return f"Harvest stopped: {exc}"
    except (GraphError, ServerError) as exc:
        return f"Harvest stopped: the graph database failed ({exc}); Refresh resumes it."
    return f"Done. {summary.line()}"


@dash.callback(Output("add-scopes", "children"), Input("add-status", "children"), Input("add-kind", "value"))
def show_scopes(_status: str | None, _kind: str) -> Any:
    """Every harvested scope, with when it was last refreshed and a Refresh button."""
    scopes = service.scopes()
    if not scopes:
        return html.P("Nothing harvested yet.", className="pg-note")
    return html.Table(className="pg-table", children=[
        html.Thead(html.Tr([html.Th(h) for h in ("Scope", "Status", "Last refreshed", "Works (last run)", "")])),
        html.Tbody([html.Tr([
            html.Td(s.label), html.Td(s.status, title=s.message), html.Td(s.refreshed or "never"),
            html.Td(f"{s.works:,}"),
            html.Td(html.Button("Refresh", id={"type": "add-refresh", "job": s.id},
                                disabled=not may_start_harvest())),
        ]) for s in scopes]),
    ])
