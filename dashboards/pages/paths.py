"""``/paths?from=&to=&k=&max_hops=``: how two researchers are connected, hop by hop, with the joint papers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash
from dash import Input, Output, State, clientside_callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboards import explore_widgets as w
from dashboards.components import error_banner
from graph import paths as gp
from graph import search
from graph.errors import GraphError, NotFound
from graph.ext import get_db

dash.register_page(__name__, path="/paths", title="Paths - peergraph", name="Paths")


def _int(value: Any, default: int, top: int) -> int:
    text = w.one(value)
    return min(max(int(text), 1), top) if text and str(text).isdigit() else default


def layout(**query: Any) -> html.Div:
    source, target = w.one(query.get("from")), w.one(query.get("to"))
    k, max_hops = _int(query.get("k"), 3, gp.MAX_K), _int(query.get("max_hops"), gp.MAX_HOPS, gp.MAX_HOPS)
    try:
        known = gp.people(get_db(), [i for i in (source, target) if i])
        result = answer_view(source, target, k, max_hops)
    except GraphError as exc:
        known, result = {}, [error_banner(exc)]
    return html.Div(className="px-page", children=[
        html.H1("How are two researchers connected?"),
        html.P(f"The shortest chains of co-authorship between two people (at most {gp.MAX_HOPS} hops), "
               "each hop with the papers the two wrote together.", className="pg-note"),
        html.Div(className="px-pickers", children=[
            _picker("paths-from", "From", source, known), _picker("paths-to", "To", target, known),
            html.Div(className="px-small", children=[html.Label("Paths"), dcc.Input(
                id="paths-k", type="number", min=1, max=gp.MAX_K, value=k, debounce=True)]),
            html.Div(className="px-small", children=[html.Label("Max hops"), dcc.Input(
                id="paths-max-hops", type="number", min=1, max=gp.MAX_HOPS, value=max_hops, debounce=True)]),
        ]),
        dcc.Store(id="paths-query"), html.Div(id="paths-url-sink", hidden=True),
        dcc.Loading(html.Div(result, id="paths-result"), type="dot"),
    ])


def _picker(picker_id: str, label: str, value: str | None, known: dict[str, gp.Person]) -> html.Div:
    options = [{"label": known[value].name, "value": value}] if value in known else []
    return html.Div(className="px-picker", children=[html.Label(label), dcc.Dropdown(
        id=picker_id, options=options, value=value if value in known else None, searchable=True,
        placeholder="Type a researcher's name...", clearable=True)])


def answer_view(source: str | None, target: str | None, k: int, max_hops: int) -> list:
    """The answer for two ids: a sentence, the paths as a graph and as a list (or why there are none)."""
    if not source or not target:
        return [html.P("Pick two researchers.", className="pg-note")]
    if source == target:
        return [html.P("Pick two different researchers.", className="px-answer")]
    try:
        answer = gp.collaborator_paths(get_db(), source, target, k=k, max_hops=max_hops)
    except NotFound as exc:
        return [html.Div(str(exc), className="pg-banner pg-banner-error", role="alert")]
    if not answer.paths:
        return [html.P(answer.reason, className="px-answer", id="paths-answer")]
    hops = answer.paths[0].length
    more = f" ({answer.found} in all; the {len(answer.paths)} with most joint works shown)" \
        if answer.found > len(answer.paths) else ""
    return [
        html.P(f"{answer.source.name} and {answer.target.name} are {hops} hop{'s' if hops != 1 else ''} apart: "
               f"{len(answer.paths)} shortest path{'s' if len(answer.paths) != 1 else ''}{more}.",
               className="px-answer", id="paths-answer"),
        html.Div(className="px-body", children=[
            html.Div(w.graph(w.path_elements(answer), graph_id="paths-graph", height=420, max_zoom=1.5),
                     className="ex-canvas"),
            html.Div(w.path_list(answer), id="paths-list")]),
    ]


def _options(text: str | None, value: str | None) -> list[dict[str, str]]:
    db = get_db()
    options = []
    if value:
        options += [{"label": p.name, "value": p.id} for p in gp.people(db, [value]).values()]
    if text and len(text.strip()) >= 2:
        options += [{"label": f"{h.label} ({h.detail})" if h.detail else h.label, "value": h.id}
                    for h in search.search(db, text, type="author", limit=15) if h.id != value]
    return options


@dash.callback(Output("paths-from", "options"), Input("paths-from", "search_value"), State("paths-from", "value"),
               prevent_initial_call=True)
def from_options(text, value):
    if not text:
        raise PreventUpdate
    return _options(text, value)


@dash.callback(Output("paths-to", "options"), Input("paths-to", "search_value"), State("paths-to", "value"),
               prevent_initial_call=True)
def to_options(text, value):
    if not text:
        raise PreventUpdate
    return _options(text, value)


@dash.callback(Output("paths-result", "children"), Output("paths-query", "data"),
               Input("paths-from", "value"), Input("paths-to", "value"), Input("paths-k", "value"),
               Input("paths-max-hops", "value"), prevent_initial_call=True)
def show(source, target, k, max_hops):
    k = min(max(int(k or 3), 1), gp.MAX_K)
    max_hops = min(max(int(max_hops or gp.MAX_HOPS), 1), gp.MAX_HOPS)
    params = {key: v for key, v in (("from", source), ("to", target)) if v}
    if k != 3:
        params["k"] = str(k)
    if max_hops != gp.MAX_HOPS:
        params["max_hops"] = str(max_hops)
    try:
        return answer_view(source, target, k, max_hops), "?" + urlencode(params)
    except GraphError as exc:
        return [error_banner(exc)], dash.no_update


clientside_callback(
    """function(search) {
        if (search !== undefined && search !== null && search !== window.location.search) {
            window.history.replaceState(null, '', window.location.pathname + (search === '?' ? '' : search));
        }
        return '';
    }""",
    Output("paths-url-sink", "children"), Input("paths-query", "data"), prevent_initial_call=True)
