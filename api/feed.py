"""The feed (``GET /api/feed``), its unread markers, muting a follow, who follows a profile (its verified owner
only), the digest setting, and the digest's unsubscribe link (``/digest/unsubscribe``, outside ``/api``: it
works without signing in and without the CSRF token, with the signed token the mail carries).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Annotated, Any

from flask import Blueprint, Flask, Response, request

from accounts import digest, web
from accounts import feed as account_feed
from accounts.store import AccountError
from api import ApiError, int_arg
from api.accounts import signed_in
from api.spec import Query, operation
from graph import accounts as graph_accounts
from graph.ext import get_db

_ID = {"author_id": "Author id, URL-encoded (e.g. name%3Ageiger_m)"}
LIMIT = Query.integer("limit", 50, minimum=1, maximum=account_feed.MAX_LIMIT, description="how many entries")
BEFORE = Query("before", {"type": "integer", "minimum": 1}, "an entry id: the entries older than it (the next page)",
               reader=lambda: int_arg("before", 0, minimum=1, maximum=2**62) or None)
UP_TO = Query("up_to", {"type": "integer", "minimum": 1}, "mark entries up to this id (default: all)",
              reader=lambda: int_arg("up_to", 0, minimum=1, maximum=2**62) or None)


@dataclass(frozen=True)
class FeedAuthor:
    id: str
    name: str


@dataclass(frozen=True)
class FeedEntry:
    """One event about an author you follow."""

    id: Annotated[int, "the entry's id (use it as ?before= for the next page)"]
    type: Annotated[str, "new_work, new_coauthor, new_citations, affiliation_change, top_topic or new_path"]
    author: FeedAuthor
    date: Annotated[str, "the evidence's date (a paper's), else the day the load found it"]
    evidence: Annotated[dict[str, Any], "what it rests on: paper, coauthor, citing, institution, topic or path"]
    read: bool
    text: Annotated[str, "the event in one sentence"]


@dataclass(frozen=True)
class Feed:
    events: list[FeedEntry]
    unread: Annotated[int, "unread entries in the whole feed"]


@dataclass(frozen=True)
class FeedRead:
    marked: int
    unread: int


@dataclass(frozen=True)
class Muted:
    author: str
    muted: bool


@dataclass(frozen=True)
class Follower:
    name: str
    since: str


@dataclass(frozen=True)
class Followers:
    """Who follows the profile: shown to its verified owner only."""

    author: str
    count: int
    followers: list[Follower] = field(default_factory=list)


@dataclass(frozen=True)
class DigestSetting:
    period: Annotated[str, "weekly (the default), daily or off"]



def entry_of(e: account_feed.Entry) -> FeedEntry:
    return FeedEntry(e.id, e.type, FeedAuthor(e.author["id"], e.author["name"]), e.date, e.evidence, e.read,
                     digest.describe(e))


@operation("GET", "/feed", summary="Your feed: what changed about the authors you follow, newest first",
           operation_id="feed", answer=Feed, errors=(400, 401), params=[LIMIT, BEFORE])
def feed() -> Feed:
    account = signed_in()
    store = web.get().store
    items = account_feed.entries(store, account.id, limit=LIMIT.read(), before=BEFORE.read())
    return Feed([entry_of(e) for e in items], account_feed.unread(store, account.id))


@operation("POST", "/feed/read", summary="Mark your feed read (up to an entry id)", operation_id="feedRead",
           answer=FeedRead, errors=(400, 401, 403), params=[UP_TO])
def feed_read() -> FeedRead:
    account = signed_in()
    store = web.get().store
    marked = account_feed.mark_read(store, account.id, UP_TO.read())
    return FeedRead(marked, account_feed.unread(store, account.id))


def _mute(author_id: str, on: bool) -> Muted:
    account = signed_in()
    return Muted(author_id, account_feed.set_muted(web.get().store, account.id, author_id, on))


@operation("POST", "/authors/<path:author_id>/mute", summary="Mute a follow: its events leave your feed and digest",
           operation_id="authorMute", answer=Muted, errors=(401, 403, 404, 409), path_params=_ID)
def author_mute(author_id: str) -> Muted:
    return _mute(author_id, True)


@operation("DELETE", "/authors/<path:author_id>/mute", summary="Unmute a follow", operation_id="authorUnmute",
           answer=Muted, errors=(401, 403, 404, 409), path_params=_ID)
def author_unmute(author_id: str) -> Muted:
    return _mute(author_id, False)


@operation("GET", "/authors/<path:author_id>/followers",
           summary="Who follows this profile: its verified owner only (the count is public on the profile)",
           operation_id="authorFollowers", answer=Followers, errors=(401, 403, 404, 503), path_params=_ID)
def author_followers(author_id: str) -> Followers:
    account = signed_in()
    store = web.get().store
    graph_accounts.claim_facts(get_db(), author_id)  # 404 for an unknown author
    if not account_feed.owns(store, account.id, author_id):
        raise ApiError(403, "forbidden", "only the profile's verified owner sees who follows it")
    people = account_feed.follower_names(store, author_id)
    return Followers(author_id, len(people), [Follower(**p) for p in people])


@operation("GET", "/account/digest", summary="How often your e-mail digest comes", operation_id="digestSetting",
           answer=DigestSetting, errors=(401,))
def digest_get() -> DigestSetting:
    return DigestSetting(digest.get_period(web.get().store, signed_in().id))


@operation("POST", "/account/digest", summary="Set the digest: {\"period\": \"weekly\" | \"daily\" | \"off\"}",
           operation_id="digestSet", answer=DigestSetting, errors=(400, 401, 403))
def digest_set() -> DigestSetting:
    account = signed_in()
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "bad_body", "send a JSON object such as {\"period\": \"daily\"}")
    return DigestSetting(digest.set_period(web.get().store, account.id, body.get("period")))


# -- the unsubscribe link (no session, no CSRF token: the signed token is the proof) --------------------------------
unsubscribe_bp = Blueprint("digest_unsubscribe", __name__)

_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>peergraph: {title}</title></head>
<body><main><h1>{title}</h1>{body}</main></body></html>"""


def _page(title: str, body: str, status: int = 200) -> Response:
    return Response(_PAGE.format(title=escape(title), body=body), status=status, mimetype="text/html")


@unsubscribe_bp.get(digest.UNSUBSCRIBE_PATH)
def unsubscribe_confirm() -> Response:
    """A GET (a link opened, or a mail scanner) only asks: it must not unsubscribe by itself."""
    token = request.args.get("token", "")
    try:
        digest.token_account(web.get().secret, token)
    except AccountError as exc:
        return _page("Unsubscribe", f"<p>{escape(exc.message)}</p>", 400)
    return _page("Unsubscribe from the digest?", (
        "<p>You will get no more digest mails from peergraph (you can turn them on again on your feed page).</p>"
        f'<form method="post" action="{digest.UNSUBSCRIBE_PATH}?token={escape(token)}">'
        '<button type="submit" id="unsubscribe-confirm">Unsubscribe</button></form>'))


@unsubscribe_bp.post(digest.UNSUBSCRIBE_PATH)
def unsubscribe_post() -> Response:
    """The confirm button and RFC 8058 one-click (``List-Unsubscribe=One-Click`` in the body) both land here."""
    acc = web.get()
    try:
        digest.unsubscribe(acc.store, acc.secret, request.args.get("token", ""))
    except AccountError as exc:
        return _page("Unsubscribe", f"<p>{escape(exc.message)}</p>", exc.status)
    return _page("Unsubscribed", "<p>Done: you will get no more digest mails.</p>")


def init_app(app: Flask) -> None:
    app.register_blueprint(unsubscribe_bp)
