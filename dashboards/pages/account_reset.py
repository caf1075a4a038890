"""``/account/reset``: ask for a reset link; ``/account/reset?token=``: choose the new password."""

from __future__ import annotations

import dash
from dash import Input, Output, State, dcc, html
from flask import current_app

from accounts import service, web
from accounts.store import AccountError
from dashboards.account_widgets import field, message

dash.register_page(__name__, path="/account/reset", title="Reset your password · peergraph", name="Reset")


def layout(token: str = "", **_query: str) -> html.Div:
    if token:
        body = [field("New password (at least 12 characters)", "reset-password", "password",
                      autoComplete="new-password"),
                html.Button("Set the new password", id="reset-confirm", className="pg-button")]
    else:
        body = [field("E-mail", "reset-email", "email", autoComplete="email"),
                html.Button("Mail me a link", id="reset-request", className="pg-button")]
    return html.Div(className="pg-account", children=[
        html.H1("Reset your password"), dcc.Store(id="reset-token", data=token), *body,
        html.Div(id="acct-reset-status")])


@dash.callback(Output("acct-reset-status", "children", allow_duplicate=True), Input("reset-request", "n_clicks"),
               State("reset-email", "value"), prevent_initial_call=True)
def request_link(_clicks: int, email: str | None) -> html.Div:
    wait = web.rate_limited("reset", (email or "").strip().lower() or None)
    if wait:
        return message(f"Too many requests; try again in {wait} s.", ok=False)
    service.reset_and_mail(web.get(), current_app.config["PUBLIC_URL"], email)
    return message("If the address has an account, a link is on its way (it lasts 24 hours).")


@dash.callback(Output("acct-reset-status", "children", allow_duplicate=True), Input("reset-confirm", "n_clicks"),
               State("reset-token", "data"), State("reset-password", "value"), prevent_initial_call=True)
def confirm(_clicks: int, token: str | None, password: str | None) -> html.Div:
    try:
        web.get().store.confirm_reset(token, password)
    except AccountError as exc:
        return message(exc.message, ok=False)
    return html.Div([message("Password changed; every session was signed out."),
                     dcc.Link("Log in", href="/account/login")])
