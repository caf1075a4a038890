"""``/cypher?q=&params=&view=table|graph|plan``: the analyst console (read-only Cypher, saved queries, export)."""

from __future__ import annotations

import dash
from dash import ALL, ClientsideFunction, Input, Output, State, ctx, dcc, html, no_update
from flask import current_app, request

from dashboards import console_widgets as w
from graph import console
from graph.errors import GraphError
from graph.ext import get_db
from views import ids
from views.limits import CONSOLE
from views.limits import EXTENSION as LIMITER

dash.register_page(__name__, path="/cypher", title="Cypher console · peergraph", name="Cypher")

SCHEMA_SAMPLE = 10_000


def layout(q: str = "", params: str = "", view: str = "table", mode: str = "run", saved: str = "",
           **_other: str) -> html.Div:
    chosen = console.saved_query(saved) if saved else None
    if chosen:
        q, params = w.saved_text(chosen)
    limits = console.Limits.from_config(current_app.config)
    return html.Div(className="cq-page", children=[
        html.Aside(className="cq-side", children=[
            w.library(console.saved_queries()),
            html.Div(className="cq-schema", children=[html.H3("Schema"), html.Div(id="console-schema")]),
        ]),
        html.Section(className="cq-work", children=[
            html.H1("Cypher console"),
            html.P(f"Read-only: writes and admin commands are refused. At most {limits.row_cap:,} rows and "
                   f"{limits.timeout_s:g} s per query. Pass values as $parameters.", className="pg-note"),
            w.editor(q or w.EXAMPLE),
            html.Label("Parameters (JSON)", htmlFor="console-params", className="cq-label"),
            dcc.Textarea(id="console-params", value=params or "{}", className="cq-params", spellCheck=False),
            w.toolbar(),
            html.Div(id="console-status", className="cq-status"),
            w.results_area(view),
            dcc.Store(id="console-result"),
            dcc.Store(id="console-table-state", data={"sort": {}, "page": 0}),
            dcc.Store(id="console-autorun", data={"run": bool(q) and not chosen, "mode": mode}),
            dcc.Store(id="console-lastrun"),
            dcc.Store(id="console-url-sync"),
            dcc.Download(id="console-download"),
        ]),
    ])


@dash.callback(
    Output(ids.CONSOLE_RESULT, "data"), Output(ids.CONSOLE_STATUS, "children"), Output(ids.CONSOLE_LASTRUN, "data"),
    Output(ids.CONSOLE_VIEW, "value"),
    Input(ids.CONSOLE_RUN, "n_clicks"), Input(ids.CONSOLE_EXPLAIN, "n_clicks"), Input(ids.CONSOLE_PROFILE, "n_clicks"),
    Input(ids.CONSOLE_AUTORUN, "data"),
    State(ids.CONSOLE_QUERY, "value"), State(ids.CONSOLE_PARAMS, "value"), State(ids.CONSOLE_VIEW, "value"),
)
def run(_run, _explain, _profile, autorun, query, params_text, view):
    """Run the editor's query (button, Ctrl+Enter, or on opening a link with ?q=)."""
    trigger = ctx.triggered_id
    if trigger is None or trigger == ids.CONSOLE_AUTORUN:
        if not (autorun or {}).get("run"):
            return no_update, no_update, no_update, no_update
        mode = autorun.get("mode") if autorun.get("mode") in console.MODES else "run"
    else:
        mode = ids.CONSOLE_MODES.get(trigger, "run")
    query = query or ""
    # A query from the page counts against the same allowance per client as POST /api/cypher.
    refused = current_app.extensions[LIMITER].take(CONSOLE, request.remote_addr or "unknown",
                                                   current_app.config.get("CYPHER_RATE_LIMIT"))
    if refused:
        return None, w.error_view(ValueError(refused.message), query), no_update, no_update
    try:
        params = w.parse_params(params_text)
        limits = console.Limits.from_config(current_app.config)
        result = console.run_console(get_db(), query, params, timeout_s=limits.timeout_s, row_cap=limits.row_cap,
                                     mode=mode).to_json()
    except (GraphError, ValueError) as exc:
        return None, w.error_view(exc, query), no_update, no_update
    if result["mode"] != "run":
        view = "plan"
    elif view == "plan":
        view = "table"
    return result, w.status(result), {"q": query, "params": params_text or "", "mode": result["mode"]}, view


@dash.callback(
    Output("console-table", "children"), Output("console-page", "children"), Output("console-prev", "disabled"),
    Output("console-next", "disabled"), Output("console-table-state", "data"),
    Input("console-result", "data"), Input({"type": "console-sort", "index": ALL}, "n_clicks"),
    Input("console-prev", "n_clicks"), Input("console-next", "n_clicks"),
    State("console-table-state", "data"),
)
def show_table(result, _sorts, _prev, _next, state):
    """The table page; header clicks sort, Previous/Next page (state kept in a store, per user)."""
    state = dict(state or {"sort": {}, "page": 0})
    trigger = ctx.triggered_id
    if trigger == "console-result" or trigger is None:
        state = {"sort": {}, "page": 0}
    elif isinstance(trigger, dict):
        if not any(_sorts):
            return (no_update,) * 5
        col = trigger["index"]
        same = state["sort"].get("col") == col
        state = {"sort": {"col": col, "desc": same and not state["sort"].get("desc")}, "page": 0}
    elif trigger in ("console-prev", "console-next"):
        state["page"] = max(0, state.get("page", 0) + (1 if trigger == "console-next" else -1))
    return (*w.table(result, state["sort"], state["page"]), state)


@dash.callback(Output("console-graph", "elements"), Output("console-graph-note", "children"),
               Output("console-plan", "children"), Input("console-result", "data"))
def show_graph_and_plan(result):
    elements, note = w.graph_elements(result)
    return elements, note, w.plan_text(result)


@dash.callback(Output("console-query", "value"), Output("console-params", "value"),
               Input({"type": "console-saved", "name": ALL}, "n_clicks"), prevent_initial_call=True)
def open_saved(clicks):
    """A click in the library puts that query and its default parameters in the editor."""
    if not ctx.triggered_id or not any(clicks):
        return no_update, no_update
    chosen = console.saved_query(ctx.triggered_id["name"])
    return w.saved_text(chosen) if chosen else (no_update, no_update)


@dash.callback(Output("console-schema", "children"), Input("console-autorun", "data"))
def show_schema(_):
    """The live schema: labels and relationship types with counts, property keys."""
    try:
        return w.schema_panel(console.schema(get_db(), sample=SCHEMA_SAMPLE), SCHEMA_SAMPLE)
    except GraphError as exc:
        return w.error_view(exc, "")


@dash.callback(Output("console-download", "data"), Input("console-csv", "n_clicks"),
               Input("console-json", "n_clicks"), State("console-result", "data"), prevent_initial_call=True)
def download(_csv, _json, result):
    if not result:
        return no_update
    return w.download(result, "json" if ctx.triggered_id == "console-json" else "csv")


dash.clientside_callback(
    ClientsideFunction(namespace="cypherConsole", function_name="syncUrl"),
    Output("console-url-sync", "data"), Input("console-lastrun", "data"), Input("console-view", "value"),
)
