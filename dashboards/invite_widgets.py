"""Invitations on other pages: the invite dialog on a profile, "tell me when claimed", the recipient's setting on
the account page, reported invitations on the admins' review page. The rules are in ``accounts/invitations.py``.

Outputs of callbacks that change state start with ``acct-`` (``accounts.web`` then requires the CSRF token).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import dash
from dash import Input, Output, State, dcc, html
from dash.development.base_component import Component
from flask import current_app

from accounts import invitations as inv
from accounts import web
from accounts.store import AccountError
from dashboards.account_widgets import message
from dashboards.components import entity_href
from graph.errors import GraphError
from graph.ext import get_db


def invite_actions(author_id: str, claim_status: str) -> list[Component]:
    """The profile's invite dialog (claimed author) or "tell me when claimed" (unclaimed), for signed-in users."""
    account = web.current_account()
    if account is None:
        return [dcc.Link("Invite to collaborate", href="/account/login", className="pg-action",
                         title="log in to invite")]
    if claim_status != "claimed":
        return [html.Button("Tell me when this profile is claimed", id="invite-watch", className="pg-action"),
                html.Div(id="acct-watch-status")]
    if inv.for_app().owner_of(author_id) == account.id:
        return [dcc.Link("Your invitations", href="/invitations", className="pg-action")]
    return [html.Details(id="invite-dialog", className="pg-invite", children=[
        html.Summary("Invite to collaborate", id="invite-open", className="pg-action"),
        html.Label([html.Span("Message (plain text, at most 1,000 characters)"),
                    dcc.Textarea(id="invite-message", maxLength=inv.MAX_MESSAGE, className="pg-input",
                                 style={"width": "100%", "height": "6em"})], className="pg-field"),
        html.P("Your address is not shown; the researcher may share theirs when accepting.", className="pg-note"),
        html.Button("Send invitation", id="invite-send", className="pg-button"),
        html.Div(id="acct-invite-status"),
    ])]


def invite_link(page_author: str, recommended: str) -> Component | None:
    """On a recommendation: "Invite" when the viewer owns the profile the recommendations are for."""
    account = web.current_account()
    if account is None or page_author not in inv.for_app().verified_authors(account.id):
        return None
    return dcc.Link("Invite", href="/invitations?" + urlencode({"to": recommended, "via": page_author}),
                    className="pg-invite-link")


def send(author_id: str, text: str | None, via: str | None = None) -> html.Div:
    """Send from a page; the answer as a banner."""
    account = web.current_account()
    if account is None:
        return message("You are not logged in.", ok=False)
    try:
        db = get_db()
        context = inv.recommendation_context(db, via, author_id) if via else None
        view, recipient = inv.for_app().send(account.id, author_id, text, near=inv.near_in(db), from_author=via,
                                             context=context)
    except (AccountError, GraphError) as exc:
        return message(getattr(exc, "message", str(exc)), ok=False)
    inv.mail_sent(web.get().mailer, current_app.config["PUBLIC_URL"], recipient, view)
    return message("Invitation sent: the researcher is told by mail and answers on their invitations page.")


@dash.callback(Output("acct-invite-status", "children"), Input("invite-send", "n_clicks"),
               State("author-id", "data"), State("invite-message", "value"), prevent_initial_call=True)
def send_from_profile(_clicks: int, author_id: str, text: str | None) -> html.Div:
    return send(author_id, text)


@dash.callback(Output("acct-watch-status", "children"), Input("invite-watch", "n_clicks"),
               State("author-id", "data"), prevent_initial_call=True)
def watch(_clicks: int, author_id: str) -> html.Div:
    account = web.current_account()
    if account is None:
        return message("You are not logged in.", ok=False)
    try:
        inv.for_app().watch(account.id, author_id)
    except AccountError as exc:
        return message(exc.message, ok=False)
    return message("We will mail you when this profile is claimed.")


# -- the account page: who may invite you -----------------------------------------------------------------------
def settings_section(account_id: int) -> html.Section:
    return html.Section(className="pg-section", children=[
        html.H2("Who may invite you to collaborate"),
        dcc.RadioItems(id="invite-who", value=inv.for_app().who(account_id), className="pg-radio",
                       options=[{"label": f" {inv.WHO_LABELS[w]}", "value": w} for w in inv.WHO]),
        html.Button("Save", id="invite-who-save", className="pg-button"),
        html.Div(id="acct-invite-who-status"),
    ])


@dash.callback(Output("acct-invite-who-status", "children"), Input("invite-who-save", "n_clicks"),
               State("invite-who", "value"), prevent_initial_call=True)
def save_who(_clicks: int, who: str | None) -> html.Div:
    account = web.current_account()
    if account is None:
        return message("You are not logged in.", ok=False)
    try:
        chosen = inv.for_app().set_who(account.id, who)
    except AccountError as exc:
        return message(exc.message, ok=False)
    return message(f"Saved: {inv.WHO_LABELS[chosen]}.")


# -- the admins' review page ---------------------------------------------------------------------------------
def reports_section() -> html.Section:
    reports = inv.for_app().reports()
    rows = [html.Tr([html.Td(str(r.id)), html.Td(r.sender_name),
                     html.Td(dcc.Link(r.from_author, href=entity_href("author", r.from_author))
                             if r.from_author else ""),
                     html.Td(dcc.Link(r.to_author, href=f"/author/{quote(r.to_author, safe='')}")),
                     html.Td(r.message), html.Td(r.reason or ""), html.Td(r.reported_at or "")]) for r in reports]
    return html.Section(className="pg-section", children=[
        html.H2("Reported invitations"),
        html.Table([html.Thead(html.Tr([html.Th(h) for h in ("Invitation", "Sender", "Sender's profile", "To",
                                                             "Message", "Reason", "Reported")])),
                    html.Tbody(rows)], className="pg-table", id="admin-invite-reports")
        if rows else html.P("No reported invitations.", className="pg-note"),
    ])
