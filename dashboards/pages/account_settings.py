"""``/account``: who you are, your claims; change the password, log out, delete the account."""

from __future__ import annotations

import dash
from dash import Input, Output, State, dcc, html
from flask import request

from accounts import service, web
from accounts.store import AccountError
from dashboards.account_widgets import field, message
from dashboards.components import entity_href
from dashboards.invite_widgets import settings_section as invite_settings
from graph.ext import get_db

dash.register_page(__name__, path="/account", title="Your account · peergraph", name="Account")


def layout(**_query: str) -> html.Div:
    account = web.current_account()
    if account is None:
        return html.Div(className="pg-account", children=[
            html.H1("Your account"), html.P(["You are not logged in. ", dcc.Link("Log in", href="/account/login"),
                                             " or ", dcc.Link("sign up", href="/account/signup"), "."])])
    summary = web.get().store.account_summary(account.id)
    claims = [html.Li([dcc.Link(c["author_id"], href=entity_href("author", c["author_id"])),
                       f" — {c['status']}" + (f" · {c['level']}" if c["level"] else "")]) for c in summary["claims"]]
    return html.Div(className="pg-account", children=[
        html.H1("Your account"),
        html.P(f"{account.name} · {account.email} · "
               + ("address confirmed" if account.email_verified else "address not confirmed yet")
               + (" · admin" if account.role == "admin" else ""), id="account-who"),
        *([dcc.Link("Review claims", href="/admin/claims")] if account.role == "admin" else []),
        html.H2("Your claims"), html.Ul(claims) if claims else html.P("None yet.", className="pg-note"),
        dcc.Link("Your invitations", href="/invitations"), invite_settings(account.id),
        html.H2("Change password"),
        field("Current password", "account-current", "password", autoComplete="current-password"),
        field("New password", "account-new", "password", autoComplete="new-password"),
        html.Button("Change password", id="account-change", className="pg-button"),
        html.H2("Session"), html.Button("Log out", id="account-logout", className="pg-button"),
        html.H2("Delete the account"),
        html.P("Deletes the account with its claims and follows.", className="pg-note"),
        html.Button("Delete my account", id="account-delete", className="pg-button pg-danger"),
        html.Div(id="acct-settings-status"),
    ])


@dash.callback(Output("acct-settings-status", "children", allow_duplicate=True), Input("account-change", "n_clicks"),
               State("account-current", "value"), State("account-new", "value"), prevent_initial_call=True)
def change_password(_clicks: int, current: str | None, new: str | None) -> html.Div:
    account = web.current_account()
    if account is None:
        return message("You are not logged in.", ok=False)
    try:
        web.get().store.change_password(account.id, current, new, request.cookies.get(web.SESSION_COOKIE))
    except AccountError as exc:
        return message(exc.message, ok=False)
    return message("Password changed; your other sessions were signed out.")


@dash.callback(Output("acct-settings-status", "children", allow_duplicate=True), Input("account-logout", "n_clicks"),
               prevent_initial_call=True)
def log_out(_clicks: int) -> html.Div:
    web.get().store.logout(request.cookies.get(web.SESSION_COOKIE))
    web.clear_session_cookie(dash.callback_context.response)
    return message("Logged out.")


@dash.callback(Output("acct-settings-status", "children", allow_duplicate=True), Input("account-delete", "n_clicks"),
               prevent_initial_call=True)
def delete(_clicks: int) -> html.Div:
    account = web.current_account()
    if account is None:
        return message("You are not logged in.", ok=False)
    acc = web.get()
    for author_id in acc.store.delete_account(account.id):
        service.refresh_author(acc.store, get_db(), author_id)
    web.clear_session_cookie(dash.callback_context.response)
    return message("Your account is deleted.")
