"""``/topic/<id>``: a topic (an arXiv category or an OpenAlex topic, field, ...): where it sits,
top authors, recent works, related topics, and a small slice."""

from __future__ import annotations

from urllib.parse import unquote, urlencode

import dash
from dash import dcc, html

from dashboards import widgets as w
from dashboards.components import entity_href, error_banner, stat
from dashboards.export_menu import export_menu
from graph import topics
from graph.errors import GraphError, NotFound
from graph.ext import get_db

dash.register_page(__name__, path_template="/topic/<topic_id>", title="Topic · peergraph", name="Topic")


def layout(topic_id: str | None = None, **_query: str) -> html.Div:
    topic_id = unquote(topic_id or "")
    try:
        t = topics.topic(get_db(), topic_id)
    except NotFound:
        return w.not_found("topic", topic_id)
    except GraphError as exc:
        return html.Div([error_banner(exc)])
    trail = [item for parent in reversed(t.parents)
             for item in (dcc.Link(parent["name"], href=entity_href("topic", parent["id"])), " \u203a ")]
    star = w.star_elements(
        {"id": t.id, "name": t.name, "type": "topic"},
        [{"id": a["id"], "name": a["name"], "type": "author", "rel": "WORKS_ON", "weight": a["works"]}
         for a in t.top_authors[:10]]
        + [{"id": r["id"], "name": r["name"], "type": "topic", "rel": "RELATED", "weight": r["works"]}
           for r in t.related[:6]])
    return html.Div(className="pg-profile", children=[
        html.Div(className="pg-profile-head", children=[
            html.Div([
                html.Div(trail, className="pg-trail"),
                html.H1(t.name, id="topic-name"),
                html.Div(" · ".join(x for x in (t.scheme, t.level, t.id) if x), className="pg-note"),
            ]),
            html.Div(className="pg-actions", children=[
                dcc.Link("Open in explorer", href="/explore?" + urlencode({"centre": t.id}), className="pg-action"),
                export_menu("topic", t.id),
            ]),
        ]),
        html.Div(className="pg-stats", children=[
            stat("Works", t.works, "works about this topic or a narrower one"),
            stat("Narrower topics", t.children_count),
            stat("Related topics", len(t.related), "topics the same works are also about (top ones)"),
        ]),
        html.Div(className="pg-columns", children=[
            html.Div(className="pg-col-main", children=[
                w.section("Recent works", html.Ol([w.short_work_item(r) for r in t.recent_works],
                                                  className="pg-works") if t.recent_works
                          else html.P("No works about this topic in the graph.", className="pg-note")),
            ]),
            html.Aside(className="pg-col-side", children=[
                w.section("In context", w.cyto_graph("topic-graph", star, height="280px"),
                          note="Top authors and related topics."),
                w.section("Top authors", w.link_list(t.top_authors, "author")),
                w.section("Related topics", w.link_list(t.related, "topic", unit="shared works")),
                *([w.section("Narrower topics", w.link_list(t.children, "topic"))] if t.children else []),
            ]),
        ]),
    ])
