"""``/feed``: what changed about the authors you follow (issue 13), with unread markers, mute per follow and
the digest setting. The entries are derived when data is loaded (``accounts/feed.py``)."""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html

from accounts import digest, web
from accounts import feed as account_feed
from dashboards.components import entity_href

dash.register_page(__name__, path="/feed", title="Your feed · peergraph", name="Feed")

PAGE = 50


def _entry(e: account_feed.Entry) -> html.Li:
    return html.Li(className="pg-feed-item" + ("" if e.read else " pg-unread"), children=[
        html.Span("new " if not e.read else "", className="pg-badge"),
        html.Span(e.date, className="pg-count"), " ",
        dcc.Link(e.author["name"], href=entity_href("author", e.author["id"])), " ",
        html.Span(digest.describe(e).split(": ", 1)[-1], className="pg-feed-text"),
    ])


def _feed(account_id: int) -> list[html.Li]:
    items = account_feed.entries(web.get().store, account_id, limit=PAGE)
    return [_entry(e) for e in items] or [html.Li(
        "Nothing yet: follow researchers on their profiles; what changes about them shows here after the next "
        "load or harvest.", className="pg-note")]


def layout(**_query: str) -> html.Div:
    account = web.current_account()
    if account is None:
        return html.Div(className="pg-account", children=[
            html.H1("Your feed"), html.P(["Log in to see your feed: ", dcc.Link("log in", href="/account/login"),
                                          "."], id="feed-anonymous")])
    store = web.get().store
    following = store.account_summary(account.id)["following"]
    mutes = [html.Li([dcc.Link(a, href=entity_href("author", a)), " ",
                      dcc.Checklist(options=[{"label": "muted", "value": "muted"}],
                                    value=["muted"] if account_feed.is_muted(store, account.id, a) else [],
                                    id={"type": "acct-feed-mute", "author": a}, inline=True)])
             for a in following]
    return html.Div(className="pg-account", children=[
        html.H1("Your feed"),
        html.P(f"{account_feed.unread(store, account.id)} unread", id="acct-feed-unread"),
        html.Button("Mark all read", id="feed-mark-read", n_clicks=0, className="pg-button"),
        html.Ul(_feed(account.id), id="acct-feed-list", className="pg-list pg-feed"),
        html.H2("You follow"), html.Ul(mutes, id="feed-following") if mutes else html.P("Nobody yet.",
                                                                                       className="pg-note"),
        html.Div(id="acct-feed-mute-status"),
        html.H2("E-mail digest"),
        dcc.RadioItems(options=[{"label": c, "value": c} for c in digest.CHOICES],
                       value=digest.get_period(store, account.id), id="feed-digest", inline=True),
        html.Div(id="acct-feed-digest-status"),
    ])


@dash.callback(Output("acct-feed-list", "children"), Output("acct-feed-unread", "children"),
               Input("feed-mark-read", "n_clicks"), prevent_initial_call=True)
def mark_read(_clicks: int) -> tuple[list[html.Li], str]:
    account = web.current_account()
    if account is None:
        return [], "Log in first."
    account_feed.mark_read(web.get().store, account.id)
    return _feed(account.id), f"{account_feed.unread(web.get().store, account.id)} unread"


@dash.callback(Output("acct-feed-mute-status", "children"), Input({"type": "acct-feed-mute", "author": ALL}, "value"),
               State({"type": "acct-feed-mute", "author": ALL}, "id"), prevent_initial_call=True)
def mute(values: list[list[str]], ids: list[dict[str, str]]) -> str:
    account = web.current_account()
    changed = ctx.triggered_id
    if account is None or not isinstance(changed, dict):
        return ""
    value = next(v for v, i in zip(values, ids, strict=True) if i == changed)
    muted = account_feed.set_muted(web.get().store, account.id, changed["author"], "muted" in (value or []))
    return f"{changed['author']}: {'muted' if muted else 'shown again'}"


@dash.callback(Output("acct-feed-digest-status", "children"), Input("feed-digest", "value"),
               prevent_initial_call=True)
def set_digest(period: str) -> str:
    account = web.current_account()
    if account is None:
        return "Log in first."
    return f"Digest: {digest.set_period(web.get().store, account.id, period)}"
