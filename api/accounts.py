"""``/api/account/*``, claims, the trust snapshot and the admins' review: accounts live outside the graph.

Every state-changing request needs the CSRF token (``accounts.web``); every write is authorised here, on the
server, whatever the pages show or hide.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Response, current_app, jsonify, redirect, request, session
from werkzeug.wrappers import Response as BaseResponse

from accounts import invitations, orcid, service, web
from accounts.store import AccountError, AccountView, ClaimView
from api import ApiError, bp
from api.models import (
    AccountAnswer,
    AccountSummary,
    ClaimFiled,
    ClaimList,
    ClaimWithdrawn,
    CsrfToken,
    DecisionBody,
    EmailBody,
    Followers,
    LoginBody,
    PasswordChangeBody,
    RegisterBody,
    ResetConfirmBody,
    StatusMessage,
    TokenBody,
    TrustAnswer,
)
from api.spec import Query, dump, operation
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


def signed_in() -> AccountView:
    account = web.current_account()
    if account is None:
        raise ApiError(401, "not_signed_in", "sign in first (POST /api/account/login)")
    return account


def signed_in_admin() -> AccountView:
    account = signed_in()
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


ACCEPTED = StatusMessage("accepted",
                         "if the address can be used, a mail with a link is on its way; the link lasts 24 hours")
CSRF = Query.header("X-CSRF-Token", description="the token from GET /api/account/csrf")
AUTHOR = {"author_id": "Author id, URL-encoded"}
CLAIM_STATUS = Query.string("status", choices=["pending", "disputed", "claimed", "rejected", "withdrawn", "revoked"])
ORCID_AUTHOR = Query.string("author", description="the profile to claim once back from ORCID")


# -- accounts --------------------------------------------------------------------------------------------------
@operation("GET", "/account/csrf", summary="A CSRF token (also set as the _csrf_token cookie)",
           operation_id="accountCsrf", answer=CsrfToken)
def account_csrf() -> Response:
    token = request.cookies.get(web.CSRF_COOKIE)
    if not token or not token.partition(".")[2]:
        token = web.new_csrf_token()
    response = jsonify(dump(CsrfToken(token)))
    web.set_csrf_cookie(response, token)
    return response


@operation("POST", "/account/register", summary="Sign up; a confirmation link is mailed. The same 202 whether or "
           "not the address has an account", operation_id="accountRegister", answer=StatusMessage, status=202,
           body=RegisterBody, params=[CSRF], errors=(400, 403, 429))
def account_register() -> Response | StatusMessage:
    body = _body()
    if (limited := _limited("register", _address(body))) is not None:
        return limited
    service.register_and_mail(web.get(), current_app.config["PUBLIC_URL"], body.get("email"),
                              body.get("password"), body.get("name"))
    return ACCEPTED


@operation("POST", "/account/verify", summary="Confirm the address with the mailed token",
           operation_id="accountVerify", answer=AccountAnswer, body=TokenBody, params=[CSRF], errors=(400, 403))
def account_verify() -> AccountAnswer:
    return AccountAnswer(web.get().store.verify_email(_body().get("token")))


@operation("POST", "/account/login", summary="Sign in: sets the HttpOnly session cookie; 401 with one message for "
           "every failure", operation_id="accountLogin", answer=AccountAnswer, body=LoginBody, params=[CSRF],
           errors=(400, 401, 403, 429))
def account_login() -> Response:
    body = _body()
    if (limited := _limited("login", _address(body))) is not None:
        return limited
    result = web.get().store.login(body.get("email"), body.get("password"))
    if result is None:
        raise ApiError(401, "login_failed", LOGIN_FAILED)
    account, token = result
    response = jsonify(dump(AccountAnswer(account)))
    web.set_session_cookie(response, token)
    return response


@operation("POST", "/account/logout", summary="Sign out: the session is revoked on the server",
           operation_id="accountLogout", answer=None, answer_text="Done", status=204, params=[CSRF], errors=(403,))
def account_logout() -> Response:
    web.get().store.logout(request.cookies.get(web.SESSION_COOKIE))
    response = current_app.response_class(status=204)
    web.clear_session_cookie(response)
    return response


@operation("GET", "/account", summary="The signed-in account: id, email, name, email_verified, role, claims, "
           "following", operation_id="account", answer=AccountSummary, errors=(401,))
def account_get() -> AccountSummary:
    return AccountSummary.of(web.get().store.account_summary(signed_in().id))


@operation("DELETE", "/account", summary="Delete the account with its claims and follows",
           operation_id="accountDelete", answer=None, answer_text="Done", status=204, params=[CSRF],
           errors=(401, 403))
def account_delete() -> Response:
    account = signed_in()
    acc = web.get()
    for author_id in acc.store.delete_account(account.id):
        service.refresh_author(acc.store, get_db(), author_id)
    response = current_app.response_class(status=204)
    web.clear_session_cookie(response)
    return response


@operation("POST", "/account/password-reset", summary="Mail a reset link; the same 202 whether or not the address "
           "has an account", operation_id="accountPasswordReset", answer=StatusMessage, status=202, body=EmailBody,
           params=[CSRF], errors=(400, 403, 429))
def account_password_reset() -> Response | StatusMessage:
    body = _body()
    if (limited := _limited("reset", _address(body))) is not None:
        return limited
    service.reset_and_mail(web.get(), current_app.config["PUBLIC_URL"], body.get("email"))
    return ACCEPTED


@operation("POST", "/account/password-reset/confirm", summary="Set a new password with the mailed token; every "
           "session ends", operation_id="accountPasswordResetConfirm", answer=AccountAnswer, body=ResetConfirmBody,
           params=[CSRF], errors=(400, 403))
def account_password_reset_confirm() -> AccountAnswer:
    body = _body()
    return AccountAnswer(web.get().store.confirm_reset(body.get("token"), body.get("password")))


@operation("POST", "/account/password", summary="Change the password; the account's other sessions end",
           operation_id="accountChangePassword", answer=StatusMessage, body=PasswordChangeBody, params=[CSRF],
           errors=(400, 401, 403))
def account_change_password() -> StatusMessage:
    account = signed_in()
    body = _body()
    web.get().store.change_password(account.id, body.get("current_password"), body.get("new_password"),
                                    request.cookies.get(web.SESSION_COOKIE))
    return StatusMessage("changed", "password changed; your other sessions were signed out")


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


@operation("GET", "/account/orcid/start", summary="ORCID sign-in (OpenID Connect): redirects to the provider; "
           "?author= claims that profile after", operation_id="accountOrcidStart", answer=None,
           answer_text="To the provider", status=302, params=[ORCID_AUTHOR], errors=(401, 502, 503))
def account_orcid_start() -> BaseResponse:
    """Send the signed-in user to ORCID; ``?author=<id>`` claims that profile when they come back."""
    signed_in()
    cfg = _orcid()
    try:
        url, state, nonce = orcid.start(cfg, _orcid_redirect_uri())
    except orcid.OrcidError as exc:
        raise ApiError(502, "orcid_unavailable", str(exc)) from None
    session["orcid"] = {"state": state, "nonce": nonce, "author": ORCID_AUTHOR.read()}
    return redirect(url, code=302)


@operation("GET", "/account/orcid/callback", summary="Where ORCID sends the user back: the ID token is checked "
           "(signature, issuer, audience, expiry, nonce) and its iD linked to the account",
           operation_id="accountOrcidCallback", answer=None, answer_text="To the claim page or the account",
           status=302, errors=(400, 401, 503))
def account_orcid_callback() -> BaseResponse:
    account = signed_in()
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
@operation("POST", "/authors/<path:author_id>/claim", summary="Claim the profile: claimed at once with ORCID (L3) "
           "or institutional (L2) evidence, else pending for an admin, disputed when someone else claims it too",
           operation_id="authorClaim", answer=ClaimFiled, status=202, params=[CSRF], path_params=AUTHOR,
           errors=(401, 403, 404, 409))
def author_claim(author_id: str) -> ClaimFiled:
    account = signed_in()
    acc = web.get()
    claim = service.open_claim(acc.store, get_db(), acc.ror, account, author_id)
    return ClaimFiled(claim.id, claim.status, claim.level, claim.evidence)


@operation("DELETE", "/authors/<path:author_id>/claim", summary="Withdraw your claim",
           operation_id="authorClaimWithdraw", answer=ClaimWithdrawn, params=[CSRF], path_params=AUTHOR,
           errors=(401, 403, 404))
def author_claim_withdraw(author_id: str) -> ClaimWithdrawn:
    account = signed_in()
    acc = web.get()
    claim = acc.store.withdraw(account.id, author_id)
    service.refresh_author(acc.store, get_db(), author_id)
    return ClaimWithdrawn(claim.id, claim.status, claim.level)


@operation("POST", "/authors/<path:author_id>/follow", summary="Follow the author: {followers}",
           operation_id="authorFollow", answer=Followers, params=[CSRF], path_params=AUTHOR,
           errors=(401, 403, 404))
def author_follow(author_id: str) -> Followers:
    return _follow(author_id, True)


@operation("DELETE", "/authors/<path:author_id>/follow", summary="Stop following: {followers}",
           operation_id="authorUnfollow", answer=Followers, params=[CSRF], path_params=AUTHOR,
           errors=(401, 403, 404))
def author_unfollow(author_id: str) -> Followers:
    return _follow(author_id, False)


def _follow(author_id: str, on: bool) -> Followers:
    account = signed_in()
    acc = web.get()
    db = get_db()
    graph_accounts.claim_facts(db, author_id)  # NotFound (404) for an unknown author, before anything is kept
    if on and not invitations.for_app().may_follow(account.id, author_id):  # issue 13: a block stops follows
        raise ApiError(403, "blocked", "this researcher has blocked you: you cannot follow their profile")
    followers = acc.store.follow(account.id, author_id, on)
    service.refresh_author(acc.store, db, author_id)
    return Followers(followers)


@operation("GET", "/authors/<path:author_id>/trust", summary="The trust snapshot: components with weight, value, "
           "points, evidence and how to raise them; penalties; the points add up to the score",
           operation_id="authorTrust", answer=TrustAnswer, path_params=AUTHOR, errors=(404, 503))
def author_trust(author_id: str) -> TrustAnswer:
    state = service.claim_state(web.get().store, author_id)
    return TrustAnswer.of(graph_trust.snapshot(get_db(), author_id, state))


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


@operation("GET", "/admin/claims", summary="Claims for review (admins)", operation_id="adminClaims",
           answer=ClaimList, params=[CLAIM_STATUS], errors=(400, 401, 403))
def admin_claims() -> ClaimList:
    signed_in_admin()
    return ClaimList(web.get().store.claims(status=CLAIM_STATUS.read()))


@operation("POST", "/admin/claims/<int:claim_id>", summary="Decide a claim (admins): approve (L2 with the reason "
           "as evidence), reject or revoke", operation_id="adminClaimDecide", answer=ClaimView, body=DecisionBody,
           params=[CSRF], path_params={"claim_id": "The claim's number"}, errors=(400, 401, 403, 404, 409))
def admin_claim_decide(claim_id: int) -> ClaimView:
    admin = signed_in_admin()
    body = _body()
    acc = web.get()
    claim = acc.store.decide(admin.id, claim_id, body.get("decision"), body.get("reason"))
    service.refresh_author(acc.store, get_db(), claim.author_id)
    return claim
