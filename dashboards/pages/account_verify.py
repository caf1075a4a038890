"""``/account/verify?token=``: confirm the address (a button, so a mail scanner that opens links spends nothing)."""

from __future__ import annotations

import dash
from dash import Input, Output, State, dcc, html

from accounts import web
from accounts.store import AccountError
from dashboards.account_widgets import message

dash.register_page(__name__, path="/account/verify", title="Confirm your address · peergraph", name="Confirm")


def layout(token: str = "", **_query: str) -> html.Div:
    return html.Div(className="pg-account", children=[
        html.H1("Confirm your address"),
        dcc.Store(id="verify-token", data=token),
        html.Button("Confirm my address", id="verify-submit", className="pg-button"),
        html.Div(id="acct-verify-status"),
    ])


@dash.callback(Output("acct-verify-status", "children"), Input("verify-submit", "n_clicks"),
               State("verify-token", "data"), prevent_initial_call=True)
def confirm(_clicks: int, token: str | None) -> html.Div:
    try:
        account = web.get().store.verify_email(token)
    except AccountError as exc:
        return message(exc.message, ok=False)
    return html.Div([message(f"Address {account.email} confirmed."), dcc.Link("Log in", href="/account/login")])
