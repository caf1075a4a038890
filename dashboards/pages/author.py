"""``/author/<id>``: a researcher's profile (figures, works per year, topics, institutions,
collaborators, works, a small research graph and recommendations)."""

from __future__ import annotations

from urllib.parse import quote, unquote, urlencode

import dash
from dash import Input, Output, State, dcc, html
from dash.development.base_component import Component

from accounts import service
from accounts import web as accounts_web
from dashboards import identity_widgets as iw
from dashboards import metrics_widgets as mw
from dashboards import widgets as w
from dashboards.account_widgets import claim_badge, trust_href, trust_panel
from dashboards.components import entity_href, error_banner, stat
from dashboards.export_menu import export_menu
from dashboards.follow_widgets import follow_box
from dashboards.invite_widgets import invite_actions, invite_link
from graph import authors, metrics, recommend
from graph import trust as graph_trust
from graph.errors import GraphError, NotFound
from graph.ext import get_db

dash.register_page(__name__, path_template="/author/<author_id>", title="Researcher · peergraph",
                   name="Researcher")

WORKS_PAGE = 50
CLOSE = authors.CLOSE_COLLABORATOR_WORKS
HOW = ("Works are the papers linked to this researcher in the graph. A paper's citations are the larger of its "
       "source's own count (OpenAlex, a publication list) and the citations to it inside the graph; the "
       "researcher's citations are the sum over their works and the h-index is the largest h such that h works "
       f"have at least h citations each. A close collaborator shares at least {CLOSE} works.")


def layout(author_id: str | None = None, **_query: str) -> html.Div:
    author_id = unquote(author_id or "")
    db = get_db()
    try:
        full = authors.full_profile(db, author_id)
        page = authors.works(db, author_id, limit=WORKS_PAGE)
        graph_panel = w.research_graph(db, author_id, full.profile.name)
        figures = metrics.author_metrics(db, full.profile.id)
        per_work = metrics.work_metrics(db, [item.id for item in page.items])
        claim_state = service.claim_state(accounts_web.get().store, author_id)
        snap = graph_trust.snapshot(db, author_id, claim_state)
    except NotFound:
        return w.not_found("researcher", author_id)
    except GraphError as exc:
        return html.Div([error_banner(exc)], className="pg-profile")
    p = full.profile
    return html.Div(className="pg-profile", children=[
        dcc.Store(id="author-id", data=author_id),
        _header(p, claim_state.status, snap),
        *[html.Div(note, className="pg-banner pg-banner-warn pg-completeness") for note in p.notes],
        iw.panel(),
        html.Div(className="pg-stats", id="author-stats", children=[
            stat("Works", p.works_count, "papers linked to this researcher in the graph"),
            stat("Citations", p.cited_by_count if p.has_citation_data else "no data",
                 "sum of max(source count, in-graph citations) over the works"),
            stat("h-index", p.h_index if p.h_index is not None else "no data", "from the per-work citations"),
            stat("Topics", p.topics_count, "distinct topics and arXiv categories of the works"),
            stat("Close collaborators", p.close_collaborators_count, f"co-authors with at least {CLOSE} joint works"),
            *mw.metric_stats(figures),
        ]),
        html.Details([html.Summary("How these figures are computed"), html.P(HOW)], className="pg-how"),
        mw.how_metrics(),
        html.Div(className="pg-columns", children=[
            html.Div(className="pg-col-main", children=[
                w.section("Works and citations per year", w.per_year_figure(full.per_year,
                                                                            citations=p.has_citation_data)
                          if full.per_year else html.P("No dated works.", className="pg-note")),
                w.section(f"Works ({page.total})",
                          html.Ol(_works(page, author_id, per_work), id="author-works", className="pg-works"),
                          html.Button("Show more works", id="author-more", n_clicks=0, className="pg-more",
                                      hidden=page.total <= WORKS_PAGE)),
                trust_panel(snap),
            ]),
            html.Aside(className="pg-col-side", children=[
                w.section("Research graph", graph_panel,
                          dcc.Link("Open full explorer \u2192", href="/explore?" + urlencode({"centre": author_id}),
                                   className="pg-action"),
                          note="The researcher in context: closest collaborators, topics and institutions."),
                w.section("Top topics", w.link_list([vars(t) for t in full.topics], "topic")),
                w.section("Institutions over time", _institutions(full.institutions)),
                w.section("Closest collaborators", _collaborators(full.collaborators),
                          note=f"Joint works; \u2605 close collaborator (at least {CLOSE} joint works)."),
                w.section("People to talk to", dcc.Loading(html.Div(id="author-recs")),
                          note="Friends of friends ranked by shared co-authors (Adamic-Adar: prolific co-authors "
                               "count less), then people working on the same topics."),
            ]),
        ]),
    ])


def _header(p: authors.Profile, claim_status: str, snap: graph_trust.Trust) -> html.Div:
    aff = p.affiliation
    where = (dcc.Link(aff.name, href=entity_href("institution", aff.id)) if aff
             else html.Span("Affiliation not known", className="pg-note"))
    others = [v for v in p.name_variants if v != p.name]
    return html.Div(className="pg-profile-head", children=[
        html.Div([
            html.H1(p.name, id="author-name"),
            html.Div([where, *([html.Span(f" (latest: {aff.last_year})", className="pg-note")]
                               if aff and aff.last_year else [])], className="pg-affiliation"),
            html.Div(f"Also written: {', '.join(others)}", className="pg-note") if others else None,
            html.Div([html.Span(f"id {p.id}", className="pg-id"),
                      *([" · ", html.A(f"ORCID {p.orcid}", href=f"https://orcid.org/{p.orcid}")] if p.orcid else [])],
                     className="pg-note"),
            html.Div([html.Span(claim_badge(claim_status, snap.level), id="author-claim"), " · ",
                      dcc.Link(f"Trust {snap.score} – {snap.band}", href=trust_href(p.id), id="author-trust")],
                     className="pg-claim"),
        ]),
        html.Div(className="pg-actions", children=[
            *([dcc.Link("Claim profile", href=f"/claim/{quote(p.id, safe='')}", className="pg-action",
                        id="author-claim-button")] if claim_status != "claimed" else []),
            dcc.Link("How am I connected to\u2026", href="/paths?" + urlencode({"from": p.id}), className="pg-action"),
            dcc.Link("Open full explorer", href="/explore?" + urlencode({"centre": p.id}), className="pg-action"),
            export_menu("author", p.id),
            *invite_actions(p.id, claim_status),  # issue 13: invite (claimed) or "tell me when claimed"
            follow_box(p.id),  # issue 13: followers, Follow/Unfollow
        ]),
    ])


def _works(page: authors.WorksPage, page_owner: str, per_work: dict[str, metrics.WorkMetrics]) -> list:
    items = []
    for item in page.items:
        li = w.work_item(item, self_id=page_owner)
        line = mw.work_metric_line(per_work.get(item.id))
        items.append(html.Li([*li.children, line], className=li.className) if line else li)
    return items


def _institutions(rows: list[authors.Affiliation]) -> Component:
    if not rows:
        return html.P("Affiliation not known: no institution in the loaded data.", className="pg-note")
    return html.Ul(className="pg-list", children=[
        html.Li([dcc.Link(r.name, href=entity_href("institution", r.id)),
                 html.Span(w.years(r.first_year, r.last_year), className="pg-count"),
                 html.Span(f" {r.works} works", className="pg-count")]) for r in rows])


def _collaborators(rows: list[authors.Collaborator]) -> Component:
    if not rows:
        return html.P("No co-authors in the graph.", className="pg-note")
    return html.Ul(id="author-collaborators", className="pg-list", children=[
        html.Li([dcc.Link(c.name, href=entity_href("author", c.id)),
                 html.Span(f" {c.works} joint work{'s' if c.works != 1 else ''}", className="pg-count"),
                 html.Span(w.years(c.first_year, c.last_year), className="pg-count"),
                 html.Span(" \u2605", title="close collaborator") if c.close else None]) for c in rows])


@dash.callback(Output("author-works", "children"), Output("author-more", "hidden"),
               Input("author-more", "n_clicks"), State("author-id", "data"), prevent_initial_call=True)
def more_works(clicks: int, author_id: str) -> tuple[list, bool]:
    """The next page of works, appended (the whole list is re-rendered: at most a few hundred items)."""
    try:
        page = authors.works(get_db(), author_id, limit=min(WORKS_PAGE * (clicks + 1), authors.MAX_WORKS_LIMIT))
        per_work = metrics.work_metrics(get_db(), [item.id for item in page.items])
    except GraphError as exc:
        return [html.Li(error_banner(exc))], False
    return _works(page, author_id, per_work), page.total <= len(page.items)


@dash.callback(Output("author-recs", "children"), Input("author-id", "data"))
def show_recommendations(author_id: str) -> Component:
    """Recommendations load after the page: they look further into the graph than the profile."""
    try:
        recs = recommend.recommendations(get_db(), author_id, limit=8)
    except GraphError as exc:
        return error_banner(exc)
    if not recs:
        return html.P("No one yet: no co-authors of co-authors or shared topics in the graph.", className="pg-note")
    return html.Ul(id="author-recommendations", className="pg-list pg-recs", children=[html.Li([
        dcc.Link(r.name, href=entity_href("author", r.id)),
        invite_link(author_id, r.id),
        *[html.Div(reason, className="pg-reason") for reason in r.reasons],
        html.Div(["Could introduce you: ", *w.author_links([vars(p) for p in r.introducers]).children],
                 className="pg-note") if r.introducers else None,
    ]) for r in recs])
