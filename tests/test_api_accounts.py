"""The account API over HTTP, on SQLite and PostgreSQL: sign-up, mail links, sessions, CSRF, rate limits."""

from __future__ import annotations

from accounts.web import SESSION_COOKIE
from tests.accounts_data import PW, csrf, last_link, outbox, sign_up


def test_register_answers_alike_for_new_and_taken_addresses_and_mails_a_link(app, acct) -> None:
    headers = csrf(acct)
    body = {"email": "ada@example.org", "password": PW, "name": "Ada"}
    first = acct.post("/api/account/register", json=body, headers=headers)
    second = acct.post("/api/account/register", json=dict(body, name="Other"), headers=headers)
    assert first.status_code == second.status_code == 202
    assert first.get_json() == second.get_json()
    mails = sorted(outbox(app).glob("*.eml"))
    assert len(mails) == 2  # the link, then a note to the owner that someone tried again
    token = last_link(outbox(app), "/account/verify")
    assert acct.post("/api/account/verify", json={"token": token}, headers=headers).status_code == 200
    again = acct.post("/api/account/verify", json={"token": token}, headers=headers)
    assert again.status_code == 400 and "already used" in again.get_json()["error"]["message"]


def test_register_bad_input_says_what_is_wrong(acct) -> None:
    headers = csrf(acct)
    short = acct.post("/api/account/register", json={"email": "a@example.org", "password": "x", "name": "A"},
                      headers=headers)
    assert short.status_code == 400 and "12 characters" in short.get_json()["error"]["message"]
    not_json = acct.post("/api/account/register", data="email=a", headers=headers)
    assert not_json.status_code == 400 and "JSON" in not_json.get_json()["error"]["message"]


def test_login_one_message_for_every_failure_and_a_hardened_cookie(app, acct) -> None:
    sign_up(acct, outbox(app), "ada@example.org", login=False)
    headers = csrf(acct)
    wrong_pw = acct.post("/api/account/login", json={"email": "ada@example.org", "password": "x" * 12},
                         headers=headers)
    unknown = acct.post("/api/account/login", json={"email": "bob@example.org", "password": PW}, headers=headers)
    assert wrong_pw.status_code == unknown.status_code == 401
    assert wrong_pw.get_json() == unknown.get_json()
    ok = acct.post("/api/account/login", json={"email": "ada@example.org", "password": PW}, headers=headers)
    assert ok.status_code == 200
    cookie = next(c for c in ok.headers.getlist("Set-Cookie") if c.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie  # plain http here
    me = acct.get("/api/account").get_json()
    assert me["email"] == "ada@example.org" and me["email_verified"] and me["role"] == "user"
    assert me["claims"] == [] and me["following"] == []


def test_secure_cookie_over_https(app, acct) -> None:
    sign_up(acct, outbox(app), "ada@example.org", login=False)
    headers = csrf(acct)
    ok = acct.post("/api/account/login", json={"email": "ada@example.org", "password": PW}, headers=headers,
                   base_url="https://localhost")
    cookie = next(c for c in ok.headers.getlist("Set-Cookie") if c.startswith(SESSION_COOKIE))
    assert "Secure" in cookie


def test_the_old_cookie_is_refused_after_logout(app, acct) -> None:
    sign_up(acct, outbox(app), "ada@example.org")
    old = acct.get_cookie(SESSION_COOKIE).value
    assert acct.post("/api/account/logout", headers=csrf(acct)).status_code == 204
    assert acct.get("/api/account").status_code == 401
    acct.set_cookie(SESSION_COOKIE, old)  # a copy of the cookie kept by an attacker
    assert acct.get("/api/account").status_code == 401


def test_state_changing_requests_need_the_csrf_token(app, acct) -> None:
    sign_up(acct, outbox(app), "ada@example.org")
    token = csrf(acct)["X-CSRF-Token"]
    assert acct.post("/api/account/logout").status_code == 403
    refused = acct.delete("/api/account", headers={"X-CSRF-Token": "forged.0000"})
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "csrf"
    # A cookie the attacker planted with a matching header is refused: the server did not sign it.
    acct.set_cookie("_csrf_token", "planted.abc")
    assert acct.post("/api/account/logout", headers={"X-CSRF-Token": "planted.abc"}).status_code == 403
    acct.set_cookie("_csrf_token", token)
    assert acct.get("/api/account").status_code == 200  # still signed in: nothing went through
    assert acct.post("/api/account/logout", headers={"X-CSRF-Token": token}).status_code == 204


def test_password_reset_by_mail_ends_sessions(app, acct) -> None:
    sign_up(acct, outbox(app), "ada@example.org")
    headers = csrf(acct)
    unknown = acct.post("/api/account/password-reset", json={"email": "nobody@example.org"}, headers=headers)
    known = acct.post("/api/account/password-reset", json={"email": "ada@example.org"}, headers=headers)
    assert unknown.status_code == known.status_code == 202 and unknown.get_json() == known.get_json()
    token = last_link(outbox(app), "/account/reset")
    done = acct.post("/api/account/password-reset/confirm", json={"token": token, "password": "new passphrase!"},
                     headers=headers)
    assert done.status_code == 200
    assert acct.get("/api/account").status_code == 401
    login = acct.post("/api/account/login", json={"email": "ada@example.org", "password": "new passphrase!"},
                      headers=headers)
    assert login.status_code == 200


def test_change_password_and_delete_account(app, acct) -> None:
    sign_up(acct, outbox(app), "ada@example.org")
    headers = csrf(acct)
    wrong = acct.post("/api/account/password", json={"current_password": "nope" * 3, "new_password": "x" * 12},
                      headers=headers)
    assert wrong.status_code == 403
    assert acct.post("/api/account/password", json={"current_password": PW, "new_password": "y" * 12},
                     headers=headers).status_code == 200
    assert acct.delete("/api/account", headers=headers).status_code == 204
    assert acct.get("/api/account").status_code == 401
    assert acct.post("/api/account/login", json={"email": "ada@example.org", "password": "y" * 12},
                     headers=headers).status_code == 401


def test_login_register_and_reset_are_rate_limited(app, acct) -> None:
    app.config["ACCOUNT_RATE_LIMITS"] = {"login_address": "2/minute", "login_client": "100/minute",
                                         "register_address": "1/hour", "register_client": "100/hour",
                                         "reset_address": "1/hour", "reset_client": "2/hour"}
    try:
        headers = csrf(acct)
        bad = {"email": "ada@example.org", "password": "x" * 12}
        codes = [acct.post("/api/account/login", json=bad, headers=headers).status_code for _ in range(3)]
        assert codes == [401, 401, 429]
        limited = acct.post("/api/account/login", json=bad, headers=headers)
        assert int(limited.headers["Retry-After"]) >= 1 and limited.get_json()["error"]["code"] == "rate_limited"
        # Another address from the same client is not held up by the first one's limit.
        other = acct.post("/api/account/login", json=dict(bad, email="bob@example.org"), headers=headers)
        assert other.status_code == 401
        body = {"email": "c@example.org", "password": PW, "name": "C"}
        assert [acct.post("/api/account/register", json=body, headers=headers).status_code
                for _ in range(2)] == [202, 429]
        resets = [acct.post("/api/account/password-reset", json={"email": f"r{i}@example.org"},
                            headers=headers).status_code for i in range(3)]
        assert resets == [202, 202, 429]  # per client: two addresses, then the client's allowance is spent
    finally:
        app.config["ACCOUNT_RATE_LIMITS"] = "off"


def test_account_routes_need_a_session(acct) -> None:
    headers = csrf(acct)
    assert acct.get("/api/account").status_code == 401
    assert acct.delete("/api/account", headers=headers).status_code == 401
    assert acct.get("/api/admin/claims").status_code == 401


def test_harvests_are_for_admins_once_accounts_exist(app, acct) -> None:
    from accounts.web import EXTENSION, may_harvest

    # The Add data page's harvest callback, as Dash posts it (the output id is what the gate reads).
    body = {"output": "add-status.children", "outputs": {"id": "add-status", "property": "children"},
            "inputs": [{"id": "add-start", "property": "n_clicks", "value": 1}],
            "changedPropIds": ["add-start.n_clicks"]}
    with app.test_request_context("/"):
        assert may_harvest(), "with no account at all, the one person running peergraph may harvest"
    sign_up(acct, outbox(app), "ada@example.org")
    refused = acct.post("/_dash-update-component", json=body, headers=csrf(acct))
    assert refused.status_code == 403
    assert refused.get_json()["error"]["message"] == "only administrators can start harvests"
    session = acct.get_cookie(SESSION_COOKIE)
    assert session is not None
    with app.test_request_context("/", headers={"Cookie": f"{SESSION_COOKIE}={session.value}"}):
        assert not may_harvest()
    app.extensions[EXTENSION].store.set_role("ada@example.org", "admin")
    with app.test_request_context("/", headers={"Cookie": f"{SESSION_COOKIE}={session.value}"}):
        assert may_harvest()
    with app.test_request_context("/"):
        assert not may_harvest(), "a visitor without a session may not, once accounts exist"
