"""``/api/account/*``, claims, the trust snapshot and the admins' review: accounts live outside the graph.

Every state-changing request needs the CSRF token (``accounts.web``); every write is authorised here, on the
server, whatever the pages show or hide.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import quote

from flask import Response, current_app, jsonify, redirect, request, session
from flask.typing import ResponseReturnValue

from accounts import invitations, orcid, service, web
from accounts.store import AccountError, AccountView
from api import ApiError, bp, str_arg
from api.openapi import error_responses
from graph import accounts as graph_accounts
from graph import trust as graph_trust
from graph.ext import get_db

LOGIN_FAILED = "the e-mail address or the password is not right"


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "bad_body", "send a JSON object in the request body (Content-Type: application/json)")
    return body


def _account_error(exc: AccountError) -> Response:
    response = jsonify({"error": {"code": exc.code, "message": exc.message}})
    response.status_code = exc.status
    return response


bp.register_error_handler(AccountError, _account_error)


def _signed_in() -> AccountView:
    account = web.current_account()
    if account is None:
        raise ApiError(401, "not_signed_in", "sign in first (POST /api/account/login)")
    return account


def _admin() -> AccountView:
    account = _signed_in()
    if account.role != "admin":
        raise ApiError(403, "forbidden", "only admins may do this")
    return account


def _limited(action: str, address: str | None) -> Response | None:
    wait = web.rate_limited(action, address)
    if not wait:
        return None
    response = jsonify({"error": {"code": "rate_limited",
                                  "message": f"too many {action} attempts; try again in {wait} s"}})
    response.status_code = 429
    response.headers["Retry-After"] = str(wait)
    return response


def _address(body: dict[str, Any]) -> str | None:
    email = body.get("email")
    return email.strip().lower() if isinstance(email, str) else None


ACCEPTED = {"status": "accepted",
            "message": "if the address can be used, a mail with a link is on its way; the link lasts 24 hours"}


# -- accounts --------------------------------------------------------------------------------------------------
@bp.get("/account/csrf")
def account_csrf() -> ResponseReturnValue:
    token = request.cookies.get(web.CSRF_COOKIE)
    if not token or not token.partition(".")[2]:
        token = web.new_csrf_token()
    response = jsonify({"csrf_token": token})
    web.set_csrf_cookie(response, token)
    return response


@bp.post("/account/register")
def account_register() -> ResponseReturnValue:
    body = _body()
    if (limited := _limited("register", _address(body))) is not None:
        return limited
    service.register_and_mail(web.get(), current_app.config["PUBLIC_URL"], body.get("email"),
                              body.get("password"), body.get("name"))
    return jsonify(ACCEPTED), 202


@bp.post("/account/verify")
def account_verify() -> ResponseReturnValue:
    account = web.get().store.verify_email(_body().get("token"))
    return jsonify({"account": asdict(account)})


@bp.post("/account/login")
def account_login() -> ResponseReturnValue:
    body = _body()
    if (limited := _limited("login", _address(body))) is not None:
        return limited
    result = web.get().store.login(body.get("email"), body.get("password"))
    if result is None:
        raise ApiError(401, "login_failed", LOGIN_FAILED)
    account, token = result
    response = jsonify({"account": asdict(account)})
    web.set_session_cookie(response, token)
    return response


@bp.post("/account/logout")
def account_logout() -> ResponseReturnValue:
    web.get().store.logout(request.cookies.get(web.SESSION_COOKIE))
    response = current_app.response_class(status=204)
    web.clear_session_cookie(response)
    return response


@bp.get("/account")
def account_get() -> ResponseReturnValue:
    return jsonify(web.get().store.account_summary(_signed_in().id))


@bp.delete("/account")
def account_delete() -> ResponseReturnValue:
    account = _signed_in()
    acc = web.get()
    for author_id in acc.store.delete_account(account.id):
        service.refresh_author(acc.store, get_db(), author_id)
    response = current_app.response_class(status=204)
    web.clear_session_cookie(response)
    return response


@bp.post("/account/password-reset")
def account_password_reset() -> ResponseReturnValue:
    body = _body()
    if (limited := _limited("reset", _address(body))) is not None:
        return limited
    service.reset_and_mail(web.get(), current_app.config["PUBLIC_URL"], body.get("email"))
    return jsonify(ACCEPTED), 202


@bp.post("/account/password-reset/confirm")
def account_password_reset_confirm() -> ResponseReturnValue:
    body = _body()
    account = web.get().store.confirm_reset(body.get("token"), body.get("password"))
    return jsonify({"account": asdict(account)})


@bp.post("/account/password")
def account_change_password() -> ResponseReturnValue:
    account = _signed_in()
    body = _body()
    web.get().store.change_password(account.id, body.get("current_password"), body.get("new_password"),
                                    request.cookies.get(web.SESSION_COOKIE))
    return jsonify({"status": "changed", "message": "password changed; your other sessions were signed out"})


# -- ORCID sign-in (L3) ----------------------------------------------------------------------------------------
def _orcid() -> orcid.OrcidConfig:
    cfg = orcid.OrcidConfig(current_app.config["ORCID_CLIENT_ID"], current_app.config["ORCID_CLIENT_SECRET"],
                            current_app.config["ORCID_ISSUER"])
    if not cfg.enabled:
        raise ApiError(503, "orcid_not_configured", "ORCID sign-in is not set up on this server "
                                                    "(PEERGRAPH_ORCID_CLIENT_ID and PEERGRAPH_ORCID_CLIENT_SECRET)")
    return cfg


def _orcid_redirect_uri() -> str:
    return f"{str(current_app.config['PUBLIC_URL']).rstrip('/')}/api/account/orcid/callback"


@bp.get("/account/orcid/start")
def account_orcid_start() -> ResponseReturnValue:
    """Send the signed-in user to ORCID; ``?author=<id>`` claims that profile when they come back."""
    _signed_in()
    cfg = _orcid()
    try:
        url, state, nonce = orcid.start(cfg, _orcid_redirect_uri())
    except orcid.OrcidError as exc:
        raise ApiError(502, "orcid_unavailable", str(exc)) from None
    session["orcid"] = {"state": state, "nonce": nonce, "author": request.args.get("author")}
    return redirect(url, code=302)


@bp.get("/account/orcid/callback")
def account_orcid_callback() -> ResponseReturnValue:
    account = _signed_in()
    cfg = _orcid()
    pending = session.pop("orcid", None)
    if not pending or not request.args.get("state") or request.args.get("state") != pending.get("state"):
        raise ApiError(400, "orcid_state", "this ORCID sign-in was not started here or has already been used; "
                                           "start again")
    if request.args.get("error"):
        raise ApiError(400, "orcid_denied", f"ORCID answered: {request.args.get('error')}")
    try:
        orcid_id = orcid.finish(cfg, _orcid_redirect_uri(), request.args.get("code", ""), pending["nonce"])
    except orcid.OrcidError as exc:
        raise ApiError(400, "orcid_failed", str(exc)) from None
    acc = web.get()
    acc.store.set_orcid(account.id, orcid_id)
    author = pending.get("author")
    if author:
        return redirect(f"/claim/{quote(author, safe='')}", code=302)
    return redirect("/account", code=302)


# -- claims, trust, review -------------------------------------------------------------------------------------
@bp.post("/authors/<path:author_id>/claim")
def author_claim(author_id: str) -> ResponseReturnValue:
    account = _signed_in()
    acc = web.get()
    claim = service.open_claim(acc.store, get_db(), acc.ror, account, author_id)
    return jsonify({"id": claim.id, "status": claim.status, "level": claim.level,
                    "evidence": claim.evidence}), 202


@bp.delete("/authors/<path:author_id>/claim")
def author_claim_withdraw(author_id: str) -> ResponseReturnValue:
    account = _signed_in()
    acc = web.get()
    claim = acc.store.withdraw(account.id, author_id)
    service.refresh_author(acc.store, get_db(), author_id)
    return jsonify({"id": claim.id, "status": claim.status, "level": claim.level})


@bp.post("/authors/<path:author_id>/follow")
def author_follow(author_id: str) -> ResponseReturnValue:
    return _follow(author_id, True)


@bp.delete("/authors/<path:author_id>/follow")
def author_unfollow(author_id: str) -> ResponseReturnValue:
    return _follow(author_id, False)


def _follow(author_id: str, on: bool) -> Response:
    account = _signed_in()
    acc = web.get()
    db = get_db()
    graph_accounts.claim_facts(db, author_id)  # NotFound (404) for an unknown author, before anything is kept
    if on and not invitations.for_app().may_follow(account.id, author_id):  # issue 13: a block stops follows
        raise ApiError(403, "blocked", "this researcher has blocked you: you cannot follow their profile")
    followers = acc.store.follow(account.id, author_id, on)
    service.refresh_author(acc.store, db, author_id)
    return jsonify({"followers": followers})


def trust_json(t: graph_trust.Trust) -> dict[str, Any]:
    return {"author": t.author_id, "score": t.score, "band": t.band, "version": t.version,
            "data_date": t.data_date, "level": t.level,
            "label": "confidence in the identity and the record; not a measure of research quality, "
                     "never a sort order",
            "components": [asdict(c) for c in t.components], "penalties": [asdict(p) for p in t.penalties],
            "notes": t.notes}


@bp.get("/authors/<path:author_id>/trust")
def author_trust(author_id: str) -> ResponseReturnValue:
    state = service.claim_state(web.get().store, author_id)
    return jsonify(trust_json(graph_trust.snapshot(get_db(), author_id, state)))


def profile_extras(author_id: str) -> dict[str, Any]:
    """What ``GET /api/authors/<id>`` carries from the account store: claim, verification, followers, trust."""
    store = web.get().store
    state = service.claim_state(store, author_id)
    snap = graph_trust.snapshot(get_db(), author_id, state)
    verification = next(c for c in snap.components if c.key == "verification")
    return {"claim": {"status": state.status}, "verification": {"level": snap.level,
                                                                 "evidence": verification.evidence},
            "followers": store.followers(author_id),
            "trust": {"score": snap.score, "band": snap.band, "version": snap.version}}


@bp.get("/admin/claims")
def admin_claims() -> ResponseReturnValue:
    _admin()
    status = str_arg("status", choices=["pending", "disputed", "claimed", "rejected", "withdrawn", "revoked"])
    return jsonify({"claims": [asdict(c) for c in web.get().store.claims(status=status)]})


@bp.post("/admin/claims/<int:claim_id>")
def admin_claim_decide(claim_id: int) -> ResponseReturnValue:
    admin = _admin()
    body = _body()
    acc = web.get()
    claim = acc.store.decide(admin.id, claim_id, body.get("decision"), body.get("reason"))
    service.refresh_author(acc.store, get_db(), claim.author_id)
    return jsonify(asdict(claim))


# -- OpenAPI ---------------------------------------------------------------------------------------------------
def _json_body(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": required, "properties": properties}}}}


_CSRF = {"name": "X-CSRF-Token", "in": "header", "required": True, "schema": {"type": "string"},
         "description": "the token from GET /api/account/csrf"}
_STR = {"type": "string"}
_OBJ = {"type": "object"}
_ID = {"name": "author_id", "in": "path", "required": True, "schema": _STR}


def _op(summary: str, op_id: str, ok: str, *errors: int, body: dict[str, Any] | None = None, csrf: bool = True,
        params: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"summary": summary, "operationId": op_id,
                           "parameters": ([_CSRF] if csrf else []) + (params or []),
                           "responses": {ok: {"description": "OK", "content": {"application/json": {
                               "schema": _OBJ}}} if ok != "204" else {"description": "Done"},
                               **error_responses(*errors)}}
    if body:
        out["requestBody"] = body
    return out


PATHS = {
    "/api/account/csrf": {"get": _op("A CSRF token (also set as the _csrf_token cookie)", "accountCsrf", "200",
                                     csrf=False)},
    "/api/account/register": {"post": _op(
        "Sign up; a confirmation link is mailed. The same 202 whether or not the address has an account",
        "accountRegister", "202", 400, 403, 429,
        body=_json_body({"email": _STR, "password": _STR, "name": _STR}, ["email", "password", "name"]))},
    "/api/account/verify": {"post": _op("Confirm the address with the mailed token", "accountVerify", "200",
                                        400, 403, body=_json_body({"token": _STR}, ["token"]))},
    "/api/account/login": {"post": _op("Sign in: sets the HttpOnly session cookie; 401 with one message for "
                                       "every failure", "accountLogin", "200", 400, 401, 403, 429,
                                       body=_json_body({"email": _STR, "password": _STR}, ["email", "password"]))},
    "/api/account/logout": {"post": _op("Sign out: the session is revoked on the server", "accountLogout", "204",
                                        403)},
    "/api/account": {
        "get": _op("The signed-in account: id, email, name, email_verified, role, claims, following", "account",
                   "200", 401, csrf=False),
        "delete": _op("Delete the account with its claims and follows", "accountDelete", "204", 401, 403)},
    "/api/account/password-reset": {"post": _op(
        "Mail a reset link; the same 202 whether or not the address has an account", "accountPasswordReset",
        "202", 400, 403, 429, body=_json_body({"email": _STR}, ["email"]))},
    "/api/account/password-reset/confirm": {"post": _op(
        "Set a new password with the mailed token; every session ends", "accountPasswordResetConfirm", "200",
        400, 403, body=_json_body({"token": _STR, "password": _STR}, ["token", "password"]))},
    "/api/account/password": {"post": _op(
        "Change the password; the account's other sessions end", "accountChangePassword", "200", 400, 401, 403,
        body=_json_body({"current_password": _STR, "new_password": _STR}, ["current_password", "new_password"]))},
    "/api/account/orcid/start": {"get": {
        "summary": "ORCID sign-in (OpenID Connect): redirects to the provider; ?author= claims that profile after",
        "operationId": "accountOrcidStart", "parameters": [{"name": "author", "in": "query", "schema": _STR}],
        "responses": {"302": {"description": "To the provider"}, **error_responses(401, 502, 503)}}},
    "/api/account/orcid/callback": {"get": {
        "summary": "Where ORCID sends the user back: the ID token is checked (signature, issuer, audience, expiry, "
                   "nonce) and its iD linked to the account", "operationId": "accountOrcidCallback",
        "responses": {"302": {"description": "To the claim page or the account"}, **error_responses(400, 401, 503)}}},
    "/api/authors/{author_id}/claim": {
        "post": _op("Claim the profile: claimed at once with ORCID (L3) or institutional (L2) evidence, else "
                    "pending for an admin, disputed when someone else claims it too", "authorClaim", "202",
                    401, 403, 404, 409, params=[_ID]),
        "delete": _op("Withdraw your claim", "authorClaimWithdraw", "200", 401, 403, 404, params=[_ID])},
    "/api/authors/{author_id}/follow": {
        "post": _op("Follow the author: {followers}", "authorFollow", "200", 401, 403, 404, params=[_ID]),
        "delete": _op("Stop following: {followers}", "authorUnfollow", "200", 401, 403, 404, params=[_ID])},
    "/api/authors/{author_id}/trust": {"get": _op(
        "The trust snapshot: components with weight, value, points, evidence and how to raise them; penalties; "
        "the points add up to the score", "authorTrust", "200", 404, 503, csrf=False, params=[_ID])},
    "/api/admin/claims": {"get": _op("Claims for review (admins)", "adminClaims", "200", 400, 401, 403,
                                     csrf=False, params=[{"name": "status", "in": "query", "schema": _STR}])},
    "/api/admin/claims/{claim_id}": {"post": _op(
        "Decide a claim (admins): approve (L2 with the reason as evidence), reject or revoke", "adminClaimDecide",
        "200", 400, 401, 403, 404, 409,
        params=[{"name": "claim_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        body=_json_body({"decision": {"enum": ["approve", "reject", "revoke"]}, "reason": _STR},
                        ["decision", "reason"]))},
}
