"""Widgets of the Cypher console page (``dashboards/pages/cypher.py``): editor, library, results, plan, schema.

Plain functions from data to components, so they are tested without a browser.
The editor is a ``dcc.Textarea`` over a highlighted ``<pre>`` with line numbers,
kept in step by ``assets/cypher_editor.js`` (no download at run time).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import dash_cytoscape as cyto
from dash import dcc, html

from dashboards.components import error_banner
from dashboards.cyto_style import STYLESHEET
from graph.console import SavedQuery, SchemaEntry, cell_text, plan_lines, to_csv
from graph.errors import BadQuery, GraphError
from views import elements as el
from views import ids

PAGE_SIZE = 25
VIEWS = ("table", "graph", "plan")
EXAMPLE = "MATCH (a:Author)-[c:COAUTHOR]-(b:Author)\nRETURN a, c, b\nLIMIT 50\n"


def parse_params(text: str | None) -> dict[str, Any]:
    """The parameters box as a dict; ValueError with a readable message when it is not a JSON object."""
    if not text or not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"The parameters are not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}). "
                         'Write an object such as {"author_id": "name:geiger_m", "limit": 20}.') from None
    if not isinstance(value, dict):
        raise ValueError('The parameters must be a JSON object such as {"limit": 20}, not a '
                         f"{type(value).__name__}.")
    return value


def url_search(query: str, params: str, view: str, mode: str = "run") -> str:
    """The ``?q=&params=&view=`` part of a link that reproduces a result."""
    args = {"q": query, "params": params or "", "view": view}
    if mode != "run":
        args["mode"] = mode
    return "?" + urlencode(args)


def editor(query: str) -> html.Div:
    return html.Div(className="cq-editor", id="console-editor", children=[
        html.Div(className="cq-gutter", **{"aria-hidden": "true"}),
        html.Div(className="cq-code", children=[
            html.Pre(html.Code(className="cq-highlight-code"), className="cq-highlight", **{"aria-hidden": "true"}),
            dcc.Textarea(id="console-query", value=query, className="cq-input", spellCheck=False, wrap="off",
                         placeholder="MATCH (a:Author) RETURN a LIMIT 25", title="Cypher (Ctrl+Enter runs)"),
        ]),
    ])


def toolbar() -> html.Div:
    return html.Div(className="cq-toolbar", children=[
        html.Button("Run", id=ids.CONSOLE_RUN, title="Run (Ctrl+Enter)", className="cq-run"),
        html.Button("EXPLAIN", id=ids.CONSOLE_EXPLAIN, className="cq-secondary", title="Show the plan, do not run"),
        html.Button("PROFILE", id=ids.CONSOLE_PROFILE, className="cq-secondary", title="Run and show the plan"),
        html.Span("Ctrl+Enter runs", className="cq-hint"),
        html.Span(className="cq-spacer"),
        html.Button("Download CSV", id="console-csv", className="cq-secondary"),
        html.Button("Download JSON", id="console-json", className="cq-secondary"),
    ])


def library(saved: list[SavedQuery]) -> html.Div:
    """The saved queries: title, description, parameters with defaults; a click opens one in the editor."""
    items = []
    for q in saved:
        params = ", ".join(f"{p.name} = {json.dumps(p.default)}" for p in q.params) or "no parameters"
        items.append(html.Li(className="cq-saved", children=[
            html.Button(q.title, id={"type": "console-saved", "name": q.name}, className="cq-saved-title",
                        title="Open in the editor"),
            html.Div(q.description, className="cq-saved-desc"),
            html.Code(params, className="cq-saved-params"),
        ]))
    return html.Div(className="cq-library", children=[html.H3(f"Saved queries ({len(saved)})"),
                                                       html.Ul(items, className="cq-saved-list")])


def saved_text(q: SavedQuery) -> tuple[str, str]:
    """The editor text and the parameters box for a saved query."""
    return f"// {q.title}\n{q.text}", json.dumps(q.defaults(), indent=2) if q.params else "{}"


def schema_panel(entries: list[SchemaEntry], sample: int) -> html.Div:
    """Labels and relationship types with counts, and their property keys with counts in a sample."""
    def block(title: str, kind: str) -> html.Div:
        rows = []
        for e in (e for e in entries if e.kind == kind):
            props = ", ".join(f"{k} ({n:,})" for k, n in e.properties) or "no properties"
            rows.append(html.Details(className="cq-schema-item", children=[
                html.Summary([html.Code(f":{e.name}" if kind == "label" else f"[:{e.name}]"),
                              html.Span(f" {e.count:,}", className="cq-count")]),
                html.Div(props, className="cq-schema-props")]))
        return html.Div([html.H4(title), *(rows or [html.P("none yet", className="pg-note")])])

    return html.Div([block("Labels (nodes)", "label"), block("Relationship types", "type"),
                     html.P(f"Property counts look at up to {sample:,} nodes or relationships of each.",
                            className="pg-note")])


def results_area(view: str) -> dcc.Tabs:
    table_tab = html.Div(className="cq-table-wrap", children=[
        html.Div(id="console-table"),
        html.Div(className="cq-pager", children=[
            html.Button("‹ Previous", id="console-prev", disabled=True, className="cq-secondary"),
            html.Span(id="console-page"),
            html.Button("Next ›", id="console-next", disabled=True, className="cq-secondary"),
        ]),
    ])
    graph_tab = html.Div(className="cq-graph-wrap", children=[
        html.Div(id="console-graph-note", className="pg-note"),
        cyto.Cytoscape(id="console-graph", elements=[], stylesheet=STYLESHEET, minZoom=0.05, maxZoom=4,
                       layout={"name": "preset", "fit": True, "padding": 30}, className="pg-graph",
                       style={"height": "520px", "width": "100%"}),
    ])
    return dcc.Tabs(id="console-view", value=view if view in VIEWS else "table", className="cq-tabs", children=[
        dcc.Tab(label="Table", value="table", id="console-tab-table", children=table_tab),
        dcc.Tab(label="Graph", value="graph", id="console-tab-graph", children=graph_tab),
        dcc.Tab(label="Plan", value="plan", id="console-tab-plan",
                children=html.Pre(id="console-plan", className="cq-plan")),
    ])


def status(result: dict[str, Any]) -> list:
    """Row count, time, the row-cap notice and Neo4j's notifications."""
    rows = result["row_count"]
    what = {"explain": "Plan only (EXPLAIN): nothing was run", "profile": "Profiled"}.get(result["mode"], "")
    line = f"{rows:,} row{'s' if rows != 1 else ''} in {result['elapsed_ms']:,} ms"
    out: list = [html.Span(f"{what}. {line}" if what else line, id="console-rowcount", className="cq-rowcount")]
    if result["truncated"]:
        out.append(html.Div(f"Only the first {result['row_cap']:,} rows are shown: the row cap cut the result. "
                            "Add a LIMIT or aggregate to see the rest.", className="pg-banner pg-banner-warn",
                            id="console-capped"))
    for note in result.get("notifications", []):
        where = f" (line {note['position'][0]}, column {note['position'][1]})" if note.get("position") else ""
        out.append(html.Div(f"{note['severity'].title()}: {note['message']}{where}", className="cq-notice"))
    return out


def error_view(exc: GraphError | ValueError, query: str) -> html.Div:
    """The error's message, and for a syntax error or refusal the line it points at with a caret."""
    if not isinstance(exc, BadQuery):
        return error_banner(exc) if isinstance(exc, GraphError) else html.Div(
            str(exc), className="pg-banner pg-banner-error", role="alert", id="console-error")
    children: list = [html.Div(str(exc))]
    if exc.position:
        line, column = exc.position
        lines = query.splitlines() or [""]
        if 1 <= line <= len(lines):
            children.append(html.Pre(f"{lines[line - 1]}\n{' ' * (column - 1)}^", className="cq-caret"))
    return html.Div(children, className="pg-banner pg-banner-error", role="alert", id="console-error")


def table(result: dict[str, Any] | None, sort: dict[str, Any], page: int) -> tuple[Any, str, bool, bool]:
    """One page of the rows as an HTML table (header buttons sort; click again to reverse), the page label,
    and whether Previous and Next are disabled."""
    if not result or not result["columns"]:
        text = "Run a query to see its rows here." if not result else "The query returned no columns."
        return html.P(text, className="pg-note"), "", True, True
    rows = [[cell_text(v) for v in row] for row in result["rows"]]
    col = sort.get("col")
    if col is not None and col < len(result["columns"]):
        rows.sort(key=lambda r: _sort_key(r[col]), reverse=bool(sort.get("desc")))
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = rows[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    header = [html.Th(html.Button(name + (" ▼" if col == i and sort.get("desc") else " ▲" if col == i else ""),
                                  id={"type": "console-sort", "index": i}, className="cq-sort",
                                  title="Sort by this column"))
              for i, name in enumerate(result["columns"])]
    body = [html.Tr([html.Td(_cell(v)) for v in row]) for row in shown]
    return (html.Table([html.Thead(html.Tr(header)), html.Tbody(body)], className="cq-table",
                       id="console-result-table"),
            f"page {page + 1} of {pages}", page == 0, page >= pages - 1)


def _sort_key(value: Any) -> tuple:
    if value is None:
        return (2, 0, "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value, "")
    return (1, 0, str(value).lower())


def _cell(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def graph_elements(result: dict[str, Any] | None) -> tuple[list[dict[str, Any]], str]:
    """Cytoscape elements of a result and a note about them."""
    if not result:
        return [], ""
    graph = result["graph"]
    elements = el.result_elements(graph)
    if not graph["nodes"]:
        return [], "The result holds no nodes, relationships or paths: return some (e.g. RETURN a, r, b) to draw them."
    note = f"{len(graph['nodes']):,} nodes, {len(graph['edges']):,} relationships"
    if result.get("graph_truncated"):
        note += " (the graph view shows the first nodes only)"
    return elements, note


def plan_text(result: dict[str, Any] | None) -> str:
    if not result or not result.get("plan"):
        return "Press EXPLAIN to see the plan Neo4j would use, or PROFILE to run the query and see rows and db hits."
    return "\n".join(plan_lines(result["plan"]))


def download(result: dict[str, Any], kind: str) -> dict[str, Any]:
    """``dcc.Download`` data for the result as CSV or JSON."""
    if kind == "json":
        data = {k: result[k] for k in ("columns", "rows", "row_count", "truncated")}
        return dcc.send_string(json.dumps(data, ensure_ascii=False, indent=1), "result.json",
                               type="application/json")
    return dcc.send_string(to_csv(result["columns"], result["rows"]), "result.csv", type="text/csv")
