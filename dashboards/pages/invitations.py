"""``/invitations``: received and sent invitations, the recipient's answers, profiles you watch; with ``?to=<id>``
(and ``&via=<id>`` from a recommendation) the invite form. Messages are shown as text, never as HTML."""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, dcc, html
from dash.development.base_component import Component
from flask import current_app

from accounts import invitations as inv
from accounts import web
from accounts.store import AccountError
from dashboards.account_widgets import message
from dashboards.components import entity_href
from dashboards.invite_widgets import send
from graph.errors import GraphError
from graph.ext import get_db

dash.register_page(__name__, path="/invitations", title="Invitations · peergraph", name="Invitations")

BUTTONS = [("accept", "Accept", "pg-button"), ("decline", "Decline", "pg-button"),
           ("block", "Block sender", "pg-button pg-danger"), ("report", "Report", "pg-button pg-danger")]


def layout(to: str | None = None, via: str | None = None, **_query: str) -> html.Div:
    account = web.current_account()
    if account is None:
        return html.Div(className="pg-account", children=[
            html.H1("Invitations"), html.P(["You are not logged in. ", dcc.Link("Log in", href="/account/login"),
                                            "."])])
    rules = inv.for_app()
    return html.Div(className="pg-account", children=[
        html.H1("Invitations"),
        *(_form(to, via) if to else []),
        html.H2("Received"),
        html.Div(_inbox(rules.box(account.id, "inbox")), id="acct-inbox"),
        html.H2("Sent"),
        html.Ul([_sent(i) for i in rules.box(account.id, "outbox")] or [html.Li("None yet.")], id="invitations-sent",
                className="pg-list"),
        html.H2("Profiles you watch"),
        html.Ul([html.Li([dcc.Link(w.author_id, href=entity_href("author", w.author_id)),
                          " — claimed: you can invite them now" if w.notified_at else " — not claimed yet"])
                 for w in rules.watches(account.id)] or [html.Li("None.")], className="pg-list"),
        html.P(["Who may invite you: ", dcc.Link("your account settings", href="/account"), "."],
               className="pg-note"),
    ])


def _form(to: str, via: str | None) -> list[Component]:
    context = None
    if via:
        try:
            context = inv.recommendation_context(get_db(), via, to)
        except (AccountError, GraphError) as exc:
            return [message(getattr(exc, "message", str(exc)), ok=False)]
    return [html.Section(className="pg-section pg-invite", children=[
        html.H2(["Invite ", dcc.Link(to, href=entity_href("author", to))]),
        *(_context(context) if context else []),
        dcc.Store(id="invpage-to", data=to), dcc.Store(id="invpage-via", data=via),
        html.Label([html.Span("Message (plain text, at most 1,000 characters)"),
                    dcc.Textarea(id="invpage-message", maxLength=inv.MAX_MESSAGE, className="pg-input",
                                 style={"width": "100%", "height": "6em"})], className="pg-field"),
        html.Button("Send invitation", id="invpage-send", className="pg-button"),
        html.Div(id="acct-invpage-status"),
    ])]


def _context(context: inv.InviteContext) -> list[Component]:
    out: list[Component] = [html.Ul([html.Li(r) for r in context.reasons], className="pg-reasons")]
    if context.path:
        steps: list[Component | str] = []
        for n, step in enumerate(context.path):
            steps += ([" → "] if n else []) + [dcc.Link(step.name, href=entity_href("author", step.id))]
        out.append(html.P(["Warm introduction: ", *steps], className="pg-note"))
    return out


def _inbox(items: list[inv.InvitationView]) -> Component:
    if not items:
        return html.P("No invitations.", className="pg-note")
    return html.Ul(className="pg-list", id="invitations-inbox", children=[html.Li(className="pg-invitation", children=[
        html.Div([html.Strong(i.sender_name), " (",
                  dcc.Link(i.from_author or "", href=entity_href("author", i.from_author or "")), ") · ",
                  html.Span(i.status, className="pg-status"), f" · {i.created_at[:10]}"]),
        html.P(i.message, className="pg-message", style={"whiteSpace": "pre-wrap"}),
        *_context(i.context),
        *([dcc.Checklist(id={"type": "inv-share", "id": i.id}, value=[],
                         options=[{"label": " share my address with the sender when accepting", "value": "share"}]),
           html.Div([html.Button(label, id={"type": "inv-act", "id": i.id, "action": action}, className=cls)
                     for action, label, cls in BUTTONS]),
           html.P(f"Expires {i.expires_at[:10]} if not answered.", className="pg-note") if i.expires_at else None]
          if i.status == "pending" else []),
    ]) for i in items])


def _sent(i: inv.InvitationView) -> html.Li:
    return html.Li([dcc.Link(i.to_author, href=entity_href("author", i.to_author)), f" · {i.status}",
                    f" · {i.created_at[:10]}", *([" · address shared: ", html.Span(i.email, className="pg-email")]
                                                 if i.email else [])])


@dash.callback(Output("acct-invpage-status", "children"), Input("invpage-send", "n_clicks"),
               State("invpage-to", "data"), State("invpage-via", "data"), State("invpage-message", "value"),
               prevent_initial_call=True)
def send_from_page(_clicks: int, to: str, via: str | None, text: str | None) -> html.Div:
    return send(to, text, via)


@dash.callback(Output("acct-inbox", "children"), Input({"type": "inv-act", "id": ALL, "action": ALL}, "n_clicks"),
               State({"type": "inv-share", "id": ALL}, "value"), State({"type": "inv-share", "id": ALL}, "id"),
               prevent_initial_call=True)
def answer(clicks: list[int | None], shares: list[list[str]], share_ids: list[dict]) -> list[Component]:
    trigger = dash.callback_context.triggered_id
    if not isinstance(trigger, dict) or not any(clicks):
        raise dash.exceptions.PreventUpdate
    account = web.current_account()
    if account is None:
        return [message("You are not logged in.", ok=False)]
    share = any("share" in (v or []) for v, sid in zip(shares, share_ids, strict=False) if sid["id"] == trigger["id"])
    rules = inv.for_app()
    try:
        view, sender, shared = rules.decide(account.id, int(trigger["id"]), trigger["action"],
                                            share_email=share and trigger["action"] == "accept")
        inv.mail_decided(web.get().mailer, current_app.config["PUBLIC_URL"], sender, view, shared)
        note = message(f"Invitation {view.id}: {view.status}.")
    except AccountError as exc:
        note = message(exc.message, ok=False)
    return [note, _inbox(rules.box(account.id, "inbox"))]
