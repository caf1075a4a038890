"""``/account/signup``: create an account; a confirmation link is mailed."""

from __future__ import annotations

import dash
from dash import Input, Output, State, dcc, html
from flask import current_app

from accounts import service, web
from accounts.store import AccountError
from dashboards.account_widgets import field, message

dash.register_page(__name__, path="/account/signup", title="Sign up · peergraph", name="Sign up")


def layout(**_query: str) -> html.Div:
    return html.Div(className="pg-account", children=[
        html.H1("Sign up"),
        field("Display name", "signup-name", autoComplete="name"),
        field("E-mail", "signup-email", "email", autoComplete="email"),
        field("Password (at least 12 characters)", "signup-password", "password", autoComplete="new-password"),
        html.Button("Sign up", id="signup-submit", className="pg-button"),
        html.Div(id="acct-signup-status"),
        html.P([dcc.Link("Log in", href="/account/login"), " if you have an account."], className="pg-note"),
    ])


@dash.callback(Output("acct-signup-status", "children"), Input("signup-submit", "n_clicks"),
               State("signup-name", "value"), State("signup-email", "value"), State("signup-password", "value"),
               prevent_initial_call=True)
def sign_up(_clicks: int, name: str | None, email: str | None, password: str | None) -> html.Div:
    wait = web.rate_limited("register", (email or "").strip().lower() or None)
    if wait:
        return message(f"Too many sign-ups; try again in {wait} s.", ok=False)
    try:
        service.register_and_mail(web.get(), current_app.config["PUBLIC_URL"], email, password, name)
    except AccountError as exc:
        return message(exc.message, ok=False)
    return message("Check your mail: if the address can be used, a confirmation link is on its way "
                   "(it lasts 24 hours).")
