"""``/claim/<author_id>``: the claim flow behind the profile's **Claim profile** button."""

from __future__ import annotations

from urllib.parse import unquote, urlencode

import dash
from dash import Input, Output, State, dcc, html
from flask import current_app

from accounts import service, web
from accounts.store import AccountError
from dashboards.account_widgets import claim_badge, message
from dashboards.components import entity_href
from graph import accounts as graph_accounts
from graph.errors import GraphError, NotFound
from graph.ext import get_db

dash.register_page(__name__, path_template="/claim/<author_id>", title="Claim a profile · peergraph",
                   name="Claim")

HOW = ("Your claim is granted at once at L3 when you signed in with ORCID and the iD is this author's, or at L2 "
       "when your confirmed address is at an institution this author was affiliated with in the last five years "
       "(by the institution's ROR domains). Otherwise an admin reviews it. If someone else claims the same "
       "profile, the claim is disputed until an admin decides.")


def layout(author_id: str | None = None, **_query: str) -> html.Div:
    author_id = unquote(author_id or "")
    try:
        facts = graph_accounts.claim_facts(get_db(), author_id)
    except NotFound:
        return html.Div(message(f"No researcher with id {author_id!r}.", ok=False), className="pg-account")
    except GraphError as exc:
        return html.Div(message(str(exc), ok=False), className="pg-account")
    account = web.current_account()
    head = [html.H1(["Claim ", dcc.Link(facts.name, href=entity_href("author", author_id))]), html.P(HOW)]
    if account is None:
        return html.Div(className="pg-account", children=[*head, html.P([
            dcc.Link("Log in", href="/account/login"), " or ", dcc.Link("sign up", href="/account/signup"),
            " to claim this profile."])])
    return html.Div(className="pg-account", children=[
        *head, dcc.Store(id="claim-author", data=author_id),
        html.P(f"You claim it as {account.name} ({account.email})."),
        *([html.P(html.A("Sign in with ORCID first, to claim at L3",
                         href="/api/account/orcid/start?" + urlencode({"author": author_id}),
                         id="claim-orcid"))]
          if current_app.config.get("ORCID_CLIENT_ID") and not account.orcid else []),
        html.Button("Claim this profile", id="claim-submit", className="pg-button"),
        html.Div(id="acct-claim-status"),
    ])


@dash.callback(Output("acct-claim-status", "children"), Input("claim-submit", "n_clicks"),
               State("claim-author", "data"), prevent_initial_call=True)
def claim(_clicks: int, author_id: str) -> html.Div:
    account = web.current_account()
    if account is None:
        return message("You are not logged in.", ok=False)
    acc = web.get()
    try:
        result = service.open_claim(acc.store, get_db(), acc.ror, account, author_id)
    except AccountError as exc:
        return message(exc.message, ok=False)
    except GraphError as exc:
        return message(str(exc), ok=False)
    level = result.level or ("L1" if graph_accounts.claim_facts(get_db(), author_id).orcid else "L0")
    text = {"claimed": "Your claim is granted.", "pending": "Your claim waits for an admin's review.",
            "disputed": "Someone else claims this profile too: an admin decides."}[result.status]
    return html.Div([message(f"{text} ({claim_badge(result.status, level)})"),
                     dcc.Link("Back to the profile", href=entity_href("author", author_id))])
