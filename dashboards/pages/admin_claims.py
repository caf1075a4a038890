"""``/admin/claims``: admins review pending and disputed claims with their evidence and decide with a reason."""

from __future__ import annotations

import json

import dash
from dash import Input, Output, State, dcc, html

from accounts import service, web
from accounts.store import AccountError
from dashboards.account_widgets import field, message
from dashboards.components import entity_href
from dashboards.invite_widgets import reports_section
from graph.ext import get_db

dash.register_page(__name__, path="/admin/claims", title="Review claims · peergraph", name="Review claims")


def layout(**_query: str) -> html.Div:
    account = web.current_account()
    if account is None or account.role != "admin":
        return html.Div(message("Only admins can review claims.", ok=False), className="pg-account")
    store = web.get().store
    claims = store.claims(status="pending") + store.claims(status="disputed")
    rows = [html.Tr([html.Td(str(c.id)), html.Td(dcc.Link(c.author_id, href=entity_href("author", c.author_id))),
                     html.Td(c.claimant), html.Td(c.status), html.Td(json.dumps(c.evidence)), html.Td(c.created_at)])
            for c in claims]
    return html.Div(className="pg-account", children=[
        html.H1("Review claims"),
        html.Table([html.Thead(html.Tr([html.Th(h) for h in ("Claim", "Author", "Claimant", "Status", "Evidence",
                                                             "Filed")])), html.Tbody(rows)],
                   className="pg-table", id="admin-claims-table") if rows else html.P("Nothing to review."),
        dcc.RadioItems(id="admin-claim", options=[{"label": f" claim {c.id}: {c.author_id} by {c.claimant}",
                                                   "value": c.id} for c in claims], className="pg-radio"),
        field("Reason (kept with the decision)", "admin-reason"),
        html.Button("Approve", id="admin-approve", className="pg-button"),
        html.Button("Reject", id="admin-reject", className="pg-button pg-danger"),
        html.Div(id="acct-admin-status"),
        reports_section(),  # issue 13: reported invitations
    ])


@dash.callback(Output("acct-admin-status", "children"), Input("admin-approve", "n_clicks"),
               Input("admin-reject", "n_clicks"), State("admin-claim", "value"), State("admin-reason", "value"),
               prevent_initial_call=True)
def decide(_approve: int | None, _reject: int | None, claim_id: int | None, reason: str | None) -> html.Div:
    account = web.current_account()
    if account is None or account.role != "admin":  # checked here too: a hidden button is no protection
        return message("Only admins can review claims.", ok=False)
    if claim_id is None:
        return message("Choose a claim first.", ok=False)
    decision = "approve" if dash.callback_context.triggered_id == "admin-approve" else "reject"
    acc = web.get()
    try:
        claim = acc.store.decide(account.id, int(claim_id), decision, reason)
    except AccountError as exc:
        return message(exc.message, ok=False)
    service.refresh_author(acc.store, get_db(), claim.author_id)
    return message(f"Claim {claim.id} on {claim.author_id}: {claim.status}"
                   + (f" · {claim.level}" if claim.level else "") + ".")
