"""``/explore?centre=&depth=&types=&caps=&expanded=&selected=&size=&layout=&years=``: the graph around a node,
grown by tapping."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash
import dash_cytoscape as cyto
from dash import ALL, Input, Output, State, clientside_callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboards import explore_widgets as w
from dashboards.components import entity_href, error_banner
from graph import neighbourhood as nb
from graph import search
from graph.errors import GraphError, NotFound
from graph.ext import get_db
from views import elements as el
from views.layout import LAYOUTS

cyto.load_extra_layouts()   # brings the cytoscape-svg extension, for SVG export
dash.register_page(__name__, path="/explore", title="Explorer - peergraph", name="Explore")


def layout(**query: Any) -> html.Div:
    state = w.state_from_query(query)
    if not state["centre"]:
        return w.start_page()
    selected = w.one(query.get("selected"))
    try:
        elements, meta = w.build_view(get_db(), state)
        panel = w.panel_for(get_db(), elements, selected, state, meta)
        span = nb.year_span(get_db(), state["centre"])
    except NotFound:
        return html.Div([html.H1("Not found"), html.P(f"Nothing in the graph has the id {state['centre']!r}.")],
                        className="ex-page ex-404")
    except GraphError as exc:
        return html.Div([html.H1("Explorer"), error_banner(exc)], className="ex-page")
    return html.Div(className="ex-page", children=[
        dcc.Store(id="explore-state", data=state), dcc.Store(id="explore-meta", data=meta),
        dcc.Store(id="explore-selected", data=selected), dcc.Store(id="explore-query"),
        dcc.Download(id="explore-download"),
        html.Div(id="explore-url-sink", hidden=True),
        html.Div(className="ex-head", children=[
            html.H1(meta["centre_label"], id="explore-title"),
            dcc.Link("Open the page", href=entity_href(meta["centre_type"], state["centre"]), className="ex-link")
            if meta["centre_type"] != "paper" else None]),
        w.controls(state, span),
        html.Div(w.banner(elements, state, meta), id="explore-banner"),
        html.Div(className="ex-body", children=[
            html.Div([w.graph(elements), html.Div(w.summary(elements), id="explore-summary", className="pg-note"),
                      html.Div(w.legend(elements), id="explore-legend")], className="ex-canvas"),
            html.Aside(panel, id="explore-panel", className="ex-panel")]),
    ])


@dash.callback(Output("explore-found", "children"), Input("explore-find", "value"), prevent_initial_call=True)
def find(text: str | None) -> list:
    try:
        hits = search.search(get_db(), text or "", limit=10) if len((text or "").strip()) >= 2 else []
    except GraphError as exc:
        return [error_banner(exc)]
    return [html.Div(dcc.Link(f"{h.label}  ({h.type}{', ' + h.detail if h.detail else ''})",
                              href="/explore?" + urlencode({"centre": h.id}))) for h in hits]


@dash.callback(
    Output("explore-graph", "elements"), Output("explore-state", "data"), Output("explore-meta", "data"),
    Output("explore-banner", "children"), Output("explore-summary", "children"), Output("explore-legend", "children"),
    Output("explore-years-label", "children"),
    Input("explore-depth", "value"), Input("explore-types", "value"),
    *[Input(f"explore-cap-{t}", "value") for t in nb.NODE_TYPES], Input("explore-size", "value"),
    Input("explore-layout", "value"), Input("explore-years", "value"),
    Input({"type": "explore-expand", "key": ALL}, "n_clicks"), Input("explore-graph", "tapNodeData"),
    State("explore-years", "min"), State("explore-years", "max"),
    State("explore-state", "data"), State("explore-meta", "data"), State("explore-graph", "elements"),
    State("explore-selected", "data"), prevent_initial_call=True)
def update(depth, types, cap_a, cap_p, cap_t, cap_i, size, layout_name, years, _clicks, tapped, first, last, state,
           meta, elements, selected):
    """Controls rebuild the view (expansions replayed); expand buttons and '+N more' markers grow it in place
    (nobody already in view moves); size only resizes (nodes that would then overlap step apart)."""
    trigger = ctx.triggered_id
    state = dict(state)
    if isinstance(trigger, dict) or trigger == "explore-graph":
        if trigger == "explore-graph":
            if not tapped or tapped.get("type") != "more" or tapped.get("key") == el.ALL_KEYS:
                raise PreventUpdate
            node_id, key = tapped["parent_node"], tapped["key"]
        else:
            if not ctx.triggered[0]["value"] or not selected:
                raise PreventUpdate
            node_id, key = selected, trigger["key"]
        state["expanded"] = [*state["expanded"], [node_id, key]]
        times = state["expanded"].count([node_id, key])
        try:
            elements, meta = w.apply_expansion(get_db(), elements, meta, node_id, key, times, state["size"],
                                               tuple(state["years"]) if state.get("years") else None)
        except GraphError as exc:
            return (dash.no_update,) * 3 + ([error_banner(exc)],) + (dash.no_update,) * 3
    elif trigger == "explore-size":
        state["size"] = size if size in el.SIZE_BY else "works"
        elements = el.resize_view(elements, state["size"], state["centre"])
    else:
        caps = [cap_a, cap_p, cap_t, cap_i]
        whole = not years or (years[0] <= first and years[1] >= last)
        state.update(depth=2 if depth == 2 else 1, types=[t for t in nb.NODE_TYPES if t in (types or [])],
                     caps={t: max(0, min(int(c or 0), nb.MAX_CAP)) for t, c in zip(nb.NODE_TYPES, caps, strict=True)},
                     layout=layout_name if layout_name in LAYOUTS else "force",
                     years=None if whole else [int(years[0]), int(years[1])])
        try:
            elements, meta = w.build_view(get_db(), state)
        except GraphError as exc:
            return (dash.no_update,) * 3 + ([error_banner(exc)],) + (dash.no_update,) * 3
    shown = state.get("years") or [first, last]
    return (elements, state, meta, w.banner(elements, state, meta), w.summary(elements), w.legend(elements),
            f"Works from {shown[0]} to {shown[1]}")


@dash.callback(Output("explore-selected", "data"), Output("explore-panel", "children"),
               Input("explore-graph", "tapNodeData"), State("explore-graph", "elements"),
               State("explore-state", "data"), State("explore-meta", "data"), prevent_initial_call=True)
def select(tapped, elements, state, meta):
    """Show the tapped node (a combined '+N more' marker selects its node)."""
    if not tapped:
        raise PreventUpdate
    node_id = tapped["parent_node"] if tapped.get("type") == "more" else tapped["id"]
    try:
        return node_id, w.panel_for(get_db(), elements, node_id, state, meta)
    except GraphError as exc:
        return node_id, [error_banner(exc)]


@dash.callback(Output("explore-query", "data"), Input("explore-state", "data"), Input("explore-selected", "data"),
               prevent_initial_call=True)
def query(state, selected):
    return w.query_string(state, selected)


# The URL follows the state without reloading the page, so a copied link rebuilds this view.
clientside_callback(
    """function(search) {
        if (search && search !== window.location.search) {
            window.history.replaceState(null, '', window.location.pathname + search);
        }
        return '';
    }""",
    Output("explore-url-sink", "children"), Input("explore-query", "data"), prevent_initial_call=True)


# Find in graph: the browser marks the matches (assets/graph_labels.js), brightens them and zooms to them.
clientside_callback(
    """function(text) { return window.pgGraph ? window.pgGraph.find('explore-graph', text) : ''; }""",
    Output("explore-find-count", "children"), Input("explore-find-in-graph", "value"), prevent_initial_call=True)


@dash.callback(Output("explore-graph", "generateImage"), Input("explore-export-png", "n_clicks"),
               Input("explore-export-svg", "n_clicks"), prevent_initial_call=True)
def export_image(_png, _svg):
    kind = "svg" if ctx.triggered_id == "explore-export-svg" else "png"
    return {"type": kind, "action": "download", "filename": "peergraph-explorer",
            "options": {"full": True, "bg": "#ffffff"}}


@dash.callback(Output("explore-download", "data"), Input("explore-export-json", "n_clicks"),
               Input("explore-export-graphml", "n_clicks"), State("explore-graph", "elements"),
               prevent_initial_call=True)
def export_data(_json, _graphml, elements):
    if ctx.triggered_id == "explore-export-graphml":
        return {"content": el.to_graphml(elements), "filename": "peergraph-explorer.graphml"}
    return {"content": el.to_json(elements), "filename": "peergraph-explorer.json"}
