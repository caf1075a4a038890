"""The profile's follow box: the public follower count, Follow/Unfollow and Mute for a signed-in account, and
the list of followers for the profile's verified owner only (issue 13).

The button's callback writes to ``acct-`` outputs, so it needs the CSRF token (``accounts.web``).
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, dcc, html

from accounts import feed as account_feed
from accounts import invitations, service, web
from graph.ext import get_db


def _count(n: int) -> str:
    return f"{n} follower{'s' if n != 1 else ''}"


def follow_box(author_id: str) -> html.Div:
    """Rendered with the page (layout runs in the request: the session cookie says who is looking)."""
    store = web.get().store
    account = web.current_account()
    followers = store.followers(author_id)
    children: list = [html.Span(_count(followers), id="acct-follow-count", className="pg-count")]
    if account is None:
        children.append(dcc.Link("Log in to follow", href="/account/login", className="pg-action",
                                 id="author-follow-login"))
    else:
        following = author_id in store.account_summary(account.id)["following"]
        children.append(html.Button("Unfollow" if following else "Follow", id="acct-follow-button", n_clicks=0,
                                    className="pg-button"))
        if account_feed.owns(store, account.id, author_id):
            people = account_feed.follower_names(store, author_id)
            children.append(html.Details([html.Summary("Who follows you"), html.Ul(
                [html.Li(f"{p['name']} (since {p['since']})") for p in people] or [html.Li("Nobody yet.")],
                id="author-followers")], className="pg-note"))
    return html.Div(children, id="author-follow", className="pg-follow")


@dash.callback(Output("acct-follow-button", "children"), Output("acct-follow-count", "children"),
               Input("acct-follow-button", "n_clicks"), State("author-id", "data"), prevent_initial_call=True)
def toggle_follow(_clicks: int, author_id: str) -> tuple[str, str]:
    account = web.current_account()
    if account is None:
        return "Log in to follow", _count(web.get().store.followers(author_id))
    acc = web.get()
    following = author_id in acc.store.account_summary(account.id)["following"]
    if not following and not invitations.for_app().may_follow(account.id, author_id):  # a block stops follows
        return "Blocked by this researcher", _count(acc.store.followers(author_id))
    followers = acc.store.follow(account.id, author_id, not following)
    service.refresh_author(acc.store, get_db(), author_id)  # the public count on the Author node
    return ("Follow" if following else "Unfollow"), _count(followers)
