"""The account store on the Flask app: settings, the secret key, the session cookie, CSRF and rate limits.

Settings (environment, or ``create_app(test_config)`` keys of the same name without ``PEERGRAPH_``):
``PEERGRAPH_ACCOUNTS_URL`` (default SQLite at ``<data dir>/accounts.sqlite3``), ``PEERGRAPH_SECRET_KEY``
(default: generated once into ``<data dir>/secret_key``, mode 0600), ``PEERGRAPH_SMTP_URL``,
``PEERGRAPH_MAIL_FROM``, ``PEERGRAPH_PUBLIC_URL``, ``PEERGRAPH_RATELIMIT_STORAGE_URL`` (``memory://``;
``redis://...`` when several app servers must count together), ``PEERGRAPH_ROR_DIR``.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, g, jsonify, request

from accounts.mail import Mailer
from accounts.ror import RorIndex
from accounts.store import AccountView, Store, url_for_data_dir
from views import limits

log = logging.getLogger(__name__)

SESSION_COOKIE = "peergraph_session"
# Dash's renderer sends this cookie's value back as X-CSRFToken on every callback: one token serves both.
CSRF_COOKIE = "_csrf_token"
CSRF_HEADERS = ("X-CSRF-Token", "X-CSRFToken")
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Read-only although posted: the console runs read transactions only (graph/console.py).
CSRF_EXEMPT = {"/api/cypher"}
# Dash callbacks that change state write to outputs with these id prefixes; only they need the token.
STATE_CHANGING_OUTPUTS = ("acct-",)

# Rate limits (as views.limits reads them, several separated by ";"), per address and per client.
DEFAULT_LIMITS = {
    "login_address": "5/minute;20/hour", "login_client": "30/minute",
    "register_address": "3/hour", "register_client": "10/hour",
    "reset_address": "3/hour", "reset_client": "10/hour",
}
EXTENSION = "peergraph.accounts"


class Accounts:
    """What the app holds for accounts: the store, the mailer, the rate limiter, the ROR domains."""

    def __init__(self, store: Store, mailer: Mailer, secret: bytes, limiter: limits.RateLimiter,
                 ror: RorIndex) -> None:
        self.store, self.mailer, self.secret, self.ror = store, mailer, secret, ror
        self.limiter = limiter  # the app's one limiter (views.limits), shared with the console


def data_dir(app: Flask) -> Path:
    from graph.server import data_dir as default_data_dir

    return Path(app.config.get("DATA_DIR") or default_data_dir())


def secret_key(folder: Path) -> bytes:
    """``PEERGRAPH_SECRET_KEY``, else the key in ``<folder>/secret_key`` (made once, readable by the owner only)."""
    given = os.environ.get("PEERGRAPH_SECRET_KEY", "").strip()
    if given:
        return given.encode()
    path = folder / "secret_key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
        log.info("no PEERGRAPH_SECRET_KEY: generated one into %s (mode 0600)", path)
    return path.read_text().strip().encode()


def init_app(app: Flask) -> None:
    """Open the store (migrating it to the newest schema), and check CSRF and sessions on every request."""
    folder = data_dir(app)
    cfg = app.config
    cfg.setdefault("ACCOUNTS_URL", os.environ.get("PEERGRAPH_ACCOUNTS_URL") or url_for_data_dir(folder))
    cfg.setdefault("SMTP_URL", os.environ.get("PEERGRAPH_SMTP_URL", ""))
    cfg.setdefault("MAIL_FROM", os.environ.get("PEERGRAPH_MAIL_FROM", "peergraph <noreply@localhost>"))
    cfg.setdefault("PUBLIC_URL", os.environ.get("PEERGRAPH_PUBLIC_URL", "http://127.0.0.1:8050"))
    cfg.setdefault("RATELIMIT_STORAGE_URL", os.environ.get("PEERGRAPH_RATELIMIT_STORAGE_URL", "memory://"))
    cfg.setdefault("ROR_DIR", os.environ.get("PEERGRAPH_ROR_DIR") or str(folder / "ror"))
    cfg.setdefault("ACCOUNT_RATE_LIMITS", "off" if app.testing else dict(DEFAULT_LIMITS))
    cfg.setdefault("ORCID_CLIENT_ID", os.environ.get("PEERGRAPH_ORCID_CLIENT_ID", ""))
    cfg.setdefault("ORCID_CLIENT_SECRET", os.environ.get("PEERGRAPH_ORCID_CLIENT_SECRET", ""))
    cfg.setdefault("ORCID_ISSUER", os.environ.get("PEERGRAPH_ORCID_ISSUER", "https://orcid.org"))
    # Flask's own signed session cookie carries the ORCID sign-in's state and nonce between the two requests.
    cfg.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    if str(cfg["ACCOUNTS_URL"]).startswith("sqlite:///"):
        folder.mkdir(parents=True, exist_ok=True)
    store = Store(cfg["ACCOUNTS_URL"])
    store.migrate()
    app.secret_key = app.secret_key or secret_key(folder)
    app.extensions[EXTENSION] = Accounts(
        store, Mailer(outbox=folder / "outbox", smtp_url=cfg["SMTP_URL"], sender=cfg["MAIL_FROM"]),
        app.secret_key if isinstance(app.secret_key, bytes) else str(app.secret_key).encode(),
        limits.init_app(app), RorIndex.from_dir(Path(cfg["ROR_DIR"])))
    app.before_request(_check_csrf)
    app.before_request(_check_harvest)
    app.after_request(_issue_csrf_cookie)


def get() -> Accounts:
    accounts: Accounts = current_app.extensions[EXTENSION]
    return accounts


# -- the session -----------------------------------------------------------------------------------------------
def current_account() -> AccountView | None:
    """The signed-in account of this request (looked up once per request), or None."""
    if "account" not in g:
        g.account = get().store.session_account(request.cookies.get(SESSION_COOKIE))
    account: AccountView | None = g.account
    return account


def set_session_cookie(response: Response, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, max_age=14 * 86400, httponly=True, samesite="Lax",
                        secure=request.is_secure, path="/")


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="Lax", secure=request.is_secure)


# -- CSRF: a signed double-submit cookie ------------------------------------------------------------------------
def new_csrf_token() -> str:
    nonce = secrets.token_urlsafe(24)
    return f"{nonce}.{_sign(nonce)}"


def _sign(nonce: str) -> str:
    return hmac.new(get().secret, nonce.encode(), hashlib.sha256).hexdigest()[:32]


def csrf_ok() -> bool:
    """The header's token equals the cookie's, and the server signed it (a planted cookie is refused)."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = next((request.headers[h] for h in CSRF_HEADERS if request.headers.get(h)), "")
    nonce, _, sig = cookie.partition(".")
    return bool(cookie and sent and hmac.compare_digest(cookie, sent) and nonce
                and hmac.compare_digest(sig, _sign(nonce)))


def _needs_csrf() -> bool:
    if request.method not in UNSAFE:
        return False
    path = request.path.rstrip("/")
    if path.startswith("/api/"):
        # No view takes this method here: the API answers 404/405 itself, which changes nothing.
        return request.url_rule is not None and path not in CSRF_EXEMPT
    if path.endswith("/_dash-update-component"):
        body = request.get_json(silent=True)
        outputs = str(body.get("output", "")) if isinstance(body, dict) else ""
        return any(f"{prefix}" in outputs for prefix in STATE_CHANGING_OUTPUTS)
    return False


def _check_csrf() -> Response | None:
    if not _needs_csrf() or csrf_ok():
        return None
    response = jsonify({"error": {"code": "csrf", "message": (
        "this request changes state and needs the CSRF token: GET /api/account/csrf, then send its csrf_token "
        "in the X-CSRF-Token header")}})
    response.status_code = 403
    return response


# Dash callbacks that start or refresh a harvest (dashboards/pages/add_data.py): their output ids.
HARVEST_OUTPUTS = ("add-status",)


def may_harvest() -> bool:
    """Anyone may start a harvest while no account exists (a one-person install); then only admins."""
    if not get().store.has_accounts():
        return True
    account = current_account()
    return account is not None and account.role == "admin"


def _check_harvest() -> Response | None:
    """The server-side gate of the Add data page's harvest callback (a disabled button protects nothing).

    Checked here, on the request that starts (and polls) the Dash background callback, because the callback
    itself runs in a worker process with no request, so it cannot see who asked.
    """
    if request.method != "POST" or not request.path.rstrip("/").endswith("/_dash-update-component"):
        return None
    body = request.get_json(silent=True)
    outputs = str(body.get("output", "")) if isinstance(body, dict) else ""
    if not any(name in outputs for name in HARVEST_OUTPUTS) or may_harvest():
        return None
    response = jsonify({"error": {"code": "forbidden", "message": "only administrators can start harvests"}})
    response.status_code = 403
    return response


def _issue_csrf_cookie(response: Response) -> Response:
    """Pages get the CSRF cookie with their first response, so their callbacks can send it back."""
    if response.mimetype == "text/html" and CSRF_COOKIE not in request.cookies:
        set_csrf_cookie(response, new_csrf_token())
    return response


def set_csrf_cookie(response: Response, token: str) -> None:
    # Not HttpOnly: the page's script reads it to send it back in the header (that is the point).
    response.set_cookie(CSRF_COOKIE, token, samesite="Lax", secure=request.is_secure, path="/")


# -- rate limits ------------------------------------------------------------------------------------------------
def rate_limited(action: str, address: str | None) -> int:
    """0 when this request may go ahead (and counts it), else the seconds to wait. Per address and per client."""
    limits_cfg: Any = current_app.config.get("ACCOUNT_RATE_LIMITS")
    if not isinstance(limits_cfg, dict):
        return 0
    acc = get()
    checks = [(f"{action}_client", request.remote_addr or "unknown")]
    if address:
        checks.append((f"{action}_address", hashlib.sha256(address.encode()).hexdigest()))  # no address kept
    refused = [acc.limiter.take(key, who, limits_cfg.get(key, DEFAULT_LIMITS[key])) for key, who in checks]
    return max((r.retry_after for r in refused if r is not None), default=0)
