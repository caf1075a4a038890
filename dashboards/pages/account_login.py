"""``/account/login``: sign in (the session cookie is set by the callback's response)."""

from __future__ import annotations

import dash
from dash import Input, Output, State, dcc, html

from accounts import web
from dashboards.account_widgets import field, message

dash.register_page(__name__, path="/account/login", title="Log in · peergraph", name="Log in")


def layout(**_query: str) -> html.Div:
    return html.Div(className="pg-account", children=[
        html.H1("Log in"),
        field("E-mail", "login-email", "email", autoComplete="email"),
        field("Password", "login-password", "password", autoComplete="current-password"),
        html.Button("Log in", id="login-submit", className="pg-button"),
        html.Div(id="acct-login-status"),
        html.P([dcc.Link("Sign up", href="/account/signup"), " · ",
                dcc.Link("Forgot your password?", href="/account/reset")], className="pg-note"),
    ])


@dash.callback(Output("acct-login-status", "children"), Input("login-submit", "n_clicks"),
               State("login-email", "value"), State("login-password", "value"), prevent_initial_call=True)
def log_in(_clicks: int, email: str | None, password: str | None) -> html.Div:
    wait = web.rate_limited("login", (email or "").strip().lower() or None)
    if wait:
        return message(f"Too many attempts; try again in {wait} s.", ok=False)
    result = web.get().store.login(email, password)
    if result is None:
        return message("The e-mail address or the password is not right.", ok=False)
    account, token = result
    web.set_session_cookie(dash.callback_context.response, token)
    return html.Div([message(f"Logged in as {account.name}."), dcc.Link("Your account", href="/account")],
                    id="login-done")
