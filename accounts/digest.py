"""The e-mail digest of the feed: ``python app.py digest [--period weekly|daily]`` (run it from cron).

Each account gets at most one digest per period (``digests_sent`` holds a unique (account, period) pair, taken
before the mail goes: a second run in the same week, or two runs at once, send nothing more), never an empty
one, with at most ``MAX_ITEMS`` entries that no digest has carried yet. Every mail has ``List-Unsubscribe``
(the link) and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058): the link carries a signed
token, so it works without signing in; a POST unsubscribes, a GET shows a page that asks first.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from accounts.feed import Entry, entries
from accounts.mail import Mailer
from accounts.models import Account, DigestSent, DigestSetting, FeedItem, utcnow
from accounts.store import AccountError, Store

PERIODS = ("weekly", "daily")
CHOICES = ("weekly", "daily", "off")
DEFAULT_PERIOD = "weekly"
MAX_ITEMS = 20
UNSUBSCRIBE_PATH = "/digest/unsubscribe"


def period_key(period: str, now: datetime) -> str:
    """``weekly:2026-W49`` (ISO week) or ``daily:2026-12-04``."""
    if period == "weekly":
        year, week, _ = now.isocalendar()
        return f"weekly:{year}-W{week:02d}"
    return f"daily:{now.date().isoformat()}"


# -- settings ------------------------------------------------------------------------------------------------------
def get_period(store: Store, account_id: int) -> str:
    with store.tx() as s:
        row = s.get(DigestSetting, account_id)
        return row.period if row is not None else DEFAULT_PERIOD


def set_period(store: Store, account_id: int, period: object) -> str:
    if period not in CHOICES:
        raise AccountError("bad_period", f"'period' must be one of {', '.join(CHOICES)}; got {period!r}")
    with store.tx() as s:
        row = s.get(DigestSetting, account_id)
        if row is None:
            s.add(DigestSetting(account_id=account_id, period=str(period)))
        else:
            row.period = str(period)
    return str(period)


# -- the unsubscribe token -----------------------------------------------------------------------------------------
def _mac(secret: bytes, account_id: int) -> str:
    return hmac.new(secret, f"digest-unsubscribe:{account_id}".encode(), hashlib.sha256).hexdigest()[:32]


def unsubscribe_token(secret: bytes, account_id: int) -> str:
    """``<account id>.<HMAC>``: no expiry, as a mail client may use the header months later."""
    return f"{account_id}.{_mac(secret, account_id)}"


def token_account(secret: bytes, token: object) -> int:
    """The account id the token was made for; AccountError when it was not made here."""
    if isinstance(token, str):
        head, _, mac = token.partition(".")
        if head.isdigit() and mac and hmac.compare_digest(mac, _mac(secret, int(head))):
            return int(head)
    raise AccountError("bad_token", "this unsubscribe link is not valid (copy the whole link from the mail)")


def unsubscribe(store: Store, secret: bytes, token: object) -> str:
    """Turn the digest off for the token's account; its address (for the confirmation page)."""
    account_id = token_account(secret, token)
    with store.tx() as s:
        account = s.get(Account, account_id)
        if account is None:
            raise AccountError("not_found", "this account no longer exists: it gets no mail", status=404)
        address = account.email
    set_period(store, account_id, "off")
    return address


# -- sending -------------------------------------------------------------------------------------------------------
@dataclass
class DigestRun:
    period: str
    sent: int = 0
    empty: int = 0  # nothing new: no mail
    already: int = 0  # this period's digest went out before
    items: list[int] = field(default_factory=list)

    def line(self) -> str:
        return (f"digest ({self.period}): {self.sent} sent ({sum(self.items)} items), {self.empty} with nothing new, "
                f"{self.already} already sent this period")


def describe(entry: Entry) -> str:
    """One line of the digest (and of the feed page) for an entry, naming its evidence."""
    e, who = entry.evidence, entry.author["name"]
    if entry.type == "new_work":
        return f"{who}: new work \"{e['paper'].get('title') or e['paper']['id']}\" ({entry.date})"
    if entry.type == "new_coauthor":
        return f"{who}: new co-author {e['coauthor'].get('name') or e['coauthor']['id']}"
    if entry.type == "new_citations":
        first = e["citing"][0] if e.get("citing") else {}
        return (f"{who}: {e['count']} new citation{'s' if e['count'] != 1 else ''}, e.g. by "
                f"\"{first.get('title') or first.get('id')}\"")
    if entry.type == "affiliation_change":
        return f"{who}: now affiliated with {e['institution'].get('name') or e['institution']['id']}"
    if entry.type == "top_topic":
        return f"{who}: {e['topic'].get('name') or e['topic']['id']} entered the top five topics (#{e['rank']})"
    if entry.type == "new_path":
        names = " - ".join(str(n.get("name")) for n in e.get("path", []))
        before = "no path" if e.get("hops_before") is None else f"{e['hops_before']} hops"
        return f"{who}: a new path now connects you, {e['hops']} hops (was {before}): {names}"
    return f"{who}: {entry.type}"


def _body(name: str, shown: list[Entry], more: int, base: str, unsubscribe_url: str) -> str:
    lines = [f"Hello {name},", "", "What changed about the people you follow:", ""]
    lines += [f"- {describe(e)}" for e in shown]
    if more:
        lines += ["", f"... and {more} more on {base}/feed"]
    lines += ["", f"Your feed: {base}/feed",
              f"Stop these mails: {unsubscribe_url} (or choose daily, weekly or off on {base}/feed)"]
    return "\n".join(lines) + "\n"


def send_due(store: Store, mailer: Mailer, secret: bytes, public_url: str, period: str = DEFAULT_PERIOD, *,
             now: datetime | None = None) -> DigestRun:
    """Send this period's digest to every confirmed account whose setting is ``period``."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    moment = now or utcnow()
    key = period_key(period, moment)
    base = public_url.rstrip("/")
    run = DigestRun(period)
    with store.tx() as s:
        settings = {row.account_id: row.period for row in s.execute(select(DigestSetting.account_id,
                                                                              DigestSetting.period))}
        accounts = [(a.id, a.email, a.name) for a in s.scalars(select(Account).where(Account.email_verified.is_(True))
                                                               .order_by(Account.id))]
    for account_id, address, name in accounts:
        if settings.get(account_id, DEFAULT_PERIOD) != period:
            continue
        with store.tx() as s:
            if s.scalar(select(DigestSent.id).where(DigestSent.account_id == account_id,
                                                    DigestSent.period_key == key)) is not None:
                run.already += 1
                continue
        pending = entries(store, account_id, limit=10_000, undigested=True)
        if not pending:
            run.empty += 1
            continue
        shown = pending[:MAX_ITEMS]
        try:
            with store.tx() as s:  # the unique pair is taken first: a concurrent run stops here
                s.add(DigestSent(account_id=account_id, period_key=key, items=len(shown), sent_at=moment))
        except IntegrityError:
            run.already += 1
            continue
        link = f"{base}{UNSUBSCRIBE_PATH}?token={unsubscribe_token(secret, account_id)}"
        try:
            mailer.send(address, f"peergraph: {len(pending)} update{'s' if len(pending) != 1 else ''} from the "
                                 "people you follow", _body(name, shown, len(pending) - len(shown), base, link),
                        headers={"List-Unsubscribe": f"<{link}>",
                                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
        except Exception:
            with store.tx() as s:  # not sent: the next run may try again
                s.execute(delete(DigestSent).where(DigestSent.account_id == account_id,
                                                   DigestSent.period_key == key))
            raise
        with store.tx() as s:
            s.execute(update(FeedItem).where(FeedItem.id.in_([e.id for e in pending]))
                      .values(digested_at=moment))
        run.sent += 1
        run.items.append(len(shown))
    return run
