"""``/institution/<id>``: an institution's people, recent works, partner institutions and topics."""

from __future__ import annotations

from urllib.parse import unquote, urlencode

import dash
from dash import dcc, html

from dashboards import widgets as w
from dashboards.components import error_banner, stat
from dashboards.export_menu import export_menu
from graph import institutions
from graph.errors import GraphError, NotFound
from graph.ext import get_db

dash.register_page(__name__, path_template="/institution/<institution_id>", title="Institution · peergraph",
                   name="Institution")


def layout(institution_id: str | None = None, **_query: str) -> html.Div:
    institution_id = unquote(institution_id or "")
    try:
        i = institutions.institution(get_db(), institution_id)
    except NotFound:
        return w.not_found("institution", institution_id)
    except GraphError as exc:
        return html.Div([error_banner(exc)])
    star = w.star_elements(
        {"id": i.id, "name": i.name, "type": "institution"},
        [{"id": a["id"], "name": a["name"], "type": "author", "rel": "AFFILIATED_WITH", "weight": a["works"]}
         for a in i.top_authors[:10]]
        + [{"id": p["id"], "name": p["name"], "type": "institution", "rel": "PARTNER", "weight": p["works"]}
           for p in i.partners[:6]])
    facts = [x for x in (i.type, i.country, i.id) if x]
    return html.Div(className="pg-profile", children=[
        html.Div(className="pg-profile-head", children=[
            html.Div([
                html.H1(i.name, id="institution-name"),
                html.Div([" · ".join(facts), *([" · ", html.A("ROR", href=i.ror)] if i.ror else [])],
                         className="pg-note"),
            ]),
            html.Div(className="pg-actions", children=[
                dcc.Link("Open in explorer", href="/explore?" + urlencode({"centre": i.id}), className="pg-action"),
                export_menu("institution", i.id),
            ]),
        ]),
        html.Div(className="pg-stats", children=[
            stat("Researchers", i.authors, "authors with an affiliation here"),
            stat("Works", i.works, "works with an authorship here"),
            stat("Years", f"{i.first_year}\u2013{i.last_year}" if i.first_year else "unknown",
                 "span of the affiliations"),
            stat("Partner institutions", len(i.partners), "institutions on the same works (top ones)"),
        ]),
        html.Div(className="pg-columns", children=[
            html.Div(className="pg-col-main", children=[
                w.section("Recent works", html.Ol([w.short_work_item(r) for r in i.recent_works],
                                                  className="pg-works") if i.recent_works
                          else html.P("No works with an authorship here in the graph.", className="pg-note")),
            ]),
            html.Aside(className="pg-col-side", children=[
                w.section("In context", w.cyto_graph("institution-graph", star, height="280px"),
                          note="Top researchers and partner institutions."),
                w.section("Researchers", w.link_list(
                    i.top_authors, "author", extra=lambda r: [html.Span(w.years(r["first_year"], r["last_year"]),
                                                                        className="pg-count")])),
                w.section("Partner institutions", w.link_list(i.partners, "institution", unit="joint works")),
                w.section("Topics", w.link_list(i.topics, "topic")),
            ]),
        ]),
    ])
