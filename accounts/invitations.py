"""Invitations to collaborate (issue 13): who may send, who may receive, the limits, the recipient's choices.

Everything lives in the account store, never in Neo4j: the graph is only asked whether two researchers are
within two co-author hops (``near``, injected). Every change writes an ``Audit`` row in the same transaction.
The clock is injected (``clock``), so the day, week, 21-day, 30-day and 7-day rules are tested without sleeping.

Rules (README "Invitations to collaborate"; docs/accounts.md has the detail):

- a sender is verified (a granted claim at L2 or L3) and their account is at least 7 days old;
- the recipient is the account that owns the claimed author; their setting decides who may invite them;
- at most 5 invitations in any 24 hours and 20 in any 7 days per sender, one pending per pair, 21 days
  before the same pair again after a decline;
- throttling: when at least 6 of the sender's last 10 decided invitations were declined, blocked or reported,
  they cannot send for 7 days after the newest of those decisions;
- a pending invitation that nobody answers expires after 30 days (ignoring is not counted against the sender).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession

from accounts.models import Account, Claim, ClaimWatch, Follow, Invitation, InviteBlock, InviteSetting, utcnow
from accounts.store import AccountError, Store

DAY_LIMIT, WEEK_LIMIT = 5, 20
MIN_ACCOUNT_AGE = timedelta(days=7)
REINVITE_AFTER_DECLINE = timedelta(days=21)
EXPIRES_AFTER = timedelta(days=30)
THROTTLE_LAST, THROTTLE_NEGATIVE, THROTTLE_FOR = 10, 6, timedelta(days=7)
MAX_MESSAGE = 1000
MAX_REASON = 1000
WHO = ("nobody", "followers", "verified", "coauthors2")
WHO_LABELS = {"nobody": "Nobody", "followers": "Accounts that follow my profile",
              "verified": "Any verified researcher (L2 or above)",
              "coauthors2": "Co-authors of my co-authors (at most two co-author hops in the graph)"}
DEFAULT_WHO = "verified"
ACTIONS = ("accept", "decline", "block", "report")
STATUS_OF = {"accept": "accepted", "decline": "declined", "block": "blocked", "report": "reported"}
NEGATIVE = ("declined", "blocked", "reported")
DECIDED = ("accepted", *NEGATIVE)
VERIFIED_LEVELS = ("L2", "L3")

Near = Callable[[Sequence[str], Sequence[str]], bool]


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() + "Z" if at else None


def _wait_seconds(until: datetime, now: datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds()))


@dataclass(frozen=True)
class IntroStep:
    id: str
    name: str


@dataclass(frozen=True)
class InviteContext:
    """Why the invitation was suggested: a recommendation's reasons and its warm-introduction path."""

    reasons: list[str] = field(default_factory=list)
    path: list[IntroStep] = field(default_factory=list)


@dataclass(frozen=True)
class InvitationView:
    """An invitation as its sender or its recipient sees it. No address, unless the recipient shared theirs."""

    id: int
    status: str
    to_author: str
    from_author: str | None
    sender_name: str
    message: str
    context: InviteContext
    created_at: str
    decided_at: str | None
    expires_at: str | None
    email: str | None  # the recipient's address: in the sender's view, once accepted with sharing chosen


@dataclass(frozen=True)
class ReportView:
    """A reported invitation for the admins' review page."""

    id: int
    sender_id: int
    sender_name: str
    from_author: str | None
    to_author: str
    message: str
    reason: str | None
    reported_at: str | None


@dataclass(frozen=True)
class Watch:
    author_id: str
    created_at: str
    notified_at: str | None


def _context(raw: str) -> InviteContext:
    data = json.loads(raw or "{}")
    return InviteContext([str(r) for r in data.get("reasons", [])],
                         [IntroStep(str(p["id"]), str(p["name"])) for p in data.get("path", [])])


def check_message(message: object) -> str:
    """Plain text of 1 to 1,000 characters; shown as text, never as HTML."""
    if not isinstance(message, str) or not message.strip():
        raise AccountError("bad_message", "'message' is required: a few words on what you would like to do together")
    text = message.strip()
    if len(text) > MAX_MESSAGE:
        raise AccountError("bad_message", f"'message' has {len(text)} characters; at most {MAX_MESSAGE} are allowed")
    if any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise AccountError("bad_message", "'message' must be plain text (no control characters)")
    return text


class LimitReached(AccountError):
    """A sending limit or the throttle: 429, and how many seconds until the next invitation may go."""

    def __init__(self, code: str, message: str, retry_after: int) -> None:
        super().__init__(code, message, status=429)
        self.retry_after = retry_after


class Invitations:
    """The invitation rules over a ``Store``; ``clock`` gives the current time (naive UTC)."""

    def __init__(self, store: Store, clock: Callable[[], datetime] = utcnow) -> None:
        self.store, self.clock = store, clock

    # -- who is who ----------------------------------------------------------------------------------------
    @staticmethod
    def _claimed(s: OrmSession, account_id: int, levels: Sequence[str] = VERIFIED_LEVELS) -> list[Claim]:
        """The account's granted claims at ``levels``, L3 first."""
        rows = s.scalars(select(Claim).where(Claim.account_id == account_id, Claim.status == "claimed",
                                             Claim.level.in_(levels)))
        return sorted(rows, key=lambda c: (c.level != "L3", c.id))

    def owner_of(self, author_id: str) -> int | None:
        """The account whose claim on the author is granted, or None (unclaimed, pending, disputed)."""
        with self.store.tx() as s:
            return s.scalar(select(Claim.account_id).where(Claim.author_id == author_id, Claim.status == "claimed"))

    def verified_authors(self, account_id: int) -> list[str]:
        with self.store.tx() as s:
            return [c.author_id for c in self._claimed(s, account_id)]

    def _expire(self, s: OrmSession, now: datetime) -> None:
        """Ignored invitations expire after 30 days: done when anyone looks, so no job has to run."""
        for inv in s.scalars(select(Invitation).where(Invitation.status == "pending",
                                                      Invitation.created_at <= now - EXPIRES_AFTER)):
            inv.status, inv.decided_at = "expired", inv.created_at + EXPIRES_AFTER
            self.store._audit(s, "system", "invitation.expired", account_id=inv.recipient_id,
                              author_id=inv.to_author_id, detail=json.dumps({"invitation": inv.id}))

    # -- sending -------------------------------------------------------------------------------------------
    def send(self, sender_id: int, to_author: str, message: object, *, near: Near,
             from_author: str | None = None, context: InviteContext | None = None) -> tuple[InvitationView, str]:
        """Send an invitation to the owner of ``to_author``; (the invitation, the recipient's address for the
        notice mail). ``AccountError`` says which rule refused it."""
        text = check_message(message)
        now = self.clock()
        with self.store.tx() as s:
            self._expire(s, now)
            sender = s.get_one(Account, sender_id)
            mine = self._claimed(s, sender_id)
            if not mine:
                raise AccountError("not_verified", "only verified researchers (a granted claim at L2 or L3) can "
                                                   "send invitations: claim your profile first", status=403)
            if now - sender.created_at < MIN_ACCOUNT_AGE:
                ready = sender.created_at + MIN_ACCOUNT_AGE
                raise AccountError("account_too_new", "accounts can send invitations from 7 days after sign-up: "
                                                      f"from {ready:%Y-%m-%d %H:%M} UTC", status=403)
            if from_author is not None and from_author not in {c.author_id for c in mine}:
                raise AccountError("not_your_profile", f"{from_author} is not a profile you have claimed",
                                   status=403)
            recipient_id = s.scalar(select(Claim.account_id).where(Claim.author_id == to_author,
                                                                   Claim.status == "claimed"))
            if recipient_id is None:
                raise AccountError("not_claimed", f"{to_author} has not been claimed, so nobody can receive an "
                                                  "invitation yet; ask to be told when it is claimed "
                                                  "(POST /api/invitations/watches)", status=409)
            if recipient_id == sender_id:
                raise AccountError("self", "you cannot invite yourself")
            self._check_recipient(s, sender_id, recipient_id, to_author, [c.author_id for c in mine], near)
            self._check_limits(s, sender_id, recipient_id, now)
            inv = Invitation(sender_id=sender_id, recipient_id=recipient_id, to_author_id=to_author,
                             from_author_id=from_author or mine[0].author_id, message=text,
                             context=json.dumps(_context_json(context)), status="pending", created_at=now)
            s.add(inv)
            s.flush()
            self.store._audit(s, str(sender_id), "invitation.sent", account_id=sender_id, author_id=to_author,
                              detail=json.dumps({"invitation": inv.id, "recipient": recipient_id,
                                                 "from_recommendation": bool(context and context.reasons)}))
            return self._view(inv, for_sender=True), inv.recipient.email

    def _check_recipient(self, s: OrmSession, sender_id: int, recipient_id: int, to_author: str,
                         sender_authors: list[str], near: Near) -> None:
        blocked = s.scalar(select(InviteBlock.id).where(InviteBlock.account_id == recipient_id,
                                                        InviteBlock.blocked_id == sender_id))
        if blocked is not None:
            raise AccountError("blocked", "this researcher does not accept invitations from you", status=403)
        who = s.scalar(select(InviteSetting.who).where(InviteSetting.account_id == recipient_id)) or DEFAULT_WHO
        if who == "nobody":
            raise AccountError("not_accepting", "this researcher does not accept invitations", status=403)
        theirs = [c.author_id for c in self._claimed(s, recipient_id)] or [to_author]
        if who == "followers":
            follows = s.scalar(select(Follow.id).where(Follow.account_id == sender_id,
                                                       Follow.author_id.in_(theirs)).limit(1))
            if follows is None:
                raise AccountError("not_allowed", "this researcher accepts invitations from followers of their "
                                                  "profile only", status=403)
        if who == "coauthors2" and not near(sender_authors, theirs):
            raise AccountError("not_allowed", "this researcher accepts invitations only from co-authors of their "
                                              "co-authors (at most two co-author hops in the graph)", status=403)

    def _check_limits(self, s: OrmSession, sender_id: int, recipient_id: int, now: datetime) -> None:
        decided = list(s.scalars(select(Invitation).where(Invitation.sender_id == sender_id,
                                                          Invitation.status.in_(DECIDED))
                                 .order_by(Invitation.decided_at.desc(), Invitation.id.desc())
                                 .limit(THROTTLE_LAST)))
        negative = [i for i in decided if i.status in NEGATIVE]
        if len(negative) >= THROTTLE_NEGATIVE:
            until = max(i.decided_at or i.created_at for i in negative) + THROTTLE_FOR
            if now < until:
                raise LimitReached("throttled", f"{len(negative)} of your last {len(decided)} answered invitations "
                                                 "were declined or reported, so you cannot send invitations until "
                                                 f"{until:%Y-%m-%d %H:%M} UTC", _wait_seconds(until, now))
        for span, limit, words in ((timedelta(days=1), DAY_LIMIT, "a day"), (timedelta(days=7), WEEK_LIMIT,
                                                                               "a week")):
            sent = list(s.scalars(select(Invitation.created_at).where(Invitation.sender_id == sender_id,
                                                                      Invitation.created_at > now - span)
                                  .order_by(Invitation.created_at)))
            if len(sent) >= limit:
                until = sent[len(sent) - limit] + span
                raise LimitReached("rate_limited", f"at most {limit} invitations {words}; the next one from "
                                                   f"{until:%Y-%m-%d %H:%M} UTC", _wait_seconds(until, now))
        pair = (Invitation.sender_id == sender_id, Invitation.recipient_id == recipient_id)
        if s.scalar(select(Invitation.id).where(*pair, Invitation.status == "pending").limit(1)) is not None:
            raise AccountError("already_pending", "you already have a pending invitation to this researcher",
                               status=409)
        declined = s.scalar(select(func.max(Invitation.decided_at)).where(*pair, Invitation.status == "declined"))
        if declined is not None and now < declined + REINVITE_AFTER_DECLINE:
            until = declined + REINVITE_AFTER_DECLINE
            raise AccountError("declined_recently", "this researcher declined your last invitation; you can "
                                                    f"invite them again from {until:%Y-%m-%d %H:%M} UTC",
                               status=409)

    # -- the recipient's answers ---------------------------------------------------------------------------
    def decide(self, account_id: int, invitation_id: int, action: object, *, share_email: object = False,
               reason: object = None) -> tuple[InvitationView, str, str | None]:
        """Accept, decline, block or report; (the invitation as its recipient sees it, the sender's address and
        the recipient's address when shared on accepting) for the notice mail to the sender."""
        if action not in ACTIONS:
            raise AccountError("bad_action", f"the action must be one of {', '.join(ACTIONS)}")
        if not isinstance(share_email, bool):
            raise AccountError("bad_share_email", "'share_email' must be true or false")
        if share_email and action != "accept":
            raise AccountError("bad_share_email", "your address can only be shared when accepting")
        note = None
        if reason is not None:
            if not isinstance(reason, str) or len(reason.strip()) > MAX_REASON:
                raise AccountError("bad_reason", f"'reason' must be text of at most {MAX_REASON} characters")
            note = reason.strip() or None
        now = self.clock()
        with self.store.tx() as s:
            self._expire(s, now)
            inv = s.get(Invitation, invitation_id)
            if inv is None or account_id not in (inv.sender_id, inv.recipient_id):
                raise AccountError("not_found", f"no invitation {invitation_id} of yours", status=404)
            if inv.recipient_id != account_id:
                raise AccountError("not_recipient", "only the recipient can answer an invitation", status=403)
            if inv.status != "pending":
                raise AccountError("bad_state", f"invitation {invitation_id} is {inv.status} already", status=409)
            inv.status, inv.decided_at = STATUS_OF[str(action)], now
            inv.share_email = bool(share_email)
            if action == "report":
                inv.report_reason = note
            if action == "block" and s.scalar(select(InviteBlock.id).where(
                    InviteBlock.account_id == account_id, InviteBlock.blocked_id == inv.sender_id)) is None:
                s.add(InviteBlock(account_id=account_id, blocked_id=inv.sender_id, created_at=now))
            self.store._audit(s, str(account_id), f"invitation.{inv.status}", account_id=account_id,
                              author_id=inv.to_author_id,
                              detail=json.dumps({"invitation": inv.id, "sender": inv.sender_id,
                                                 "share_email": inv.share_email}))
            shared = inv.recipient.email if inv.share_email else None
            return self._view(inv, for_sender=False), inv.sender.email, shared

    # -- reading -------------------------------------------------------------------------------------------
    def box(self, account_id: int, box: str) -> list[InvitationView]:
        """The inbox (received) or outbox (sent), newest first."""
        now = self.clock()
        with self.store.tx() as s:
            self._expire(s, now)
            column = Invitation.recipient_id if box == "inbox" else Invitation.sender_id
            rows = s.scalars(select(Invitation).where(column == account_id)
                             .order_by(Invitation.created_at.desc(), Invitation.id.desc()))
            return [self._view(i, for_sender=box == "outbox") for i in rows]

    @staticmethod
    def _view(inv: Invitation, *, for_sender: bool) -> InvitationView:
        email = inv.recipient.email if for_sender and inv.status == "accepted" and inv.share_email else None
        return InvitationView(inv.id, inv.status, inv.to_author_id, inv.from_author_id, inv.sender.name,
                              inv.message, _context(inv.context), inv.created_at.isoformat() + "Z",
                              _iso(inv.decided_at),
                              _iso(inv.created_at + EXPIRES_AFTER) if inv.status == "pending" else None, email)

    def may_follow(self, account_id: int, author_id: str) -> bool:
        """False when the author's owner blocked this account: a block stops follows too."""
        with self.store.tx() as s:
            owner = s.scalar(select(Claim.account_id).where(Claim.author_id == author_id, Claim.status == "claimed"))
            if owner is None:
                return True
            return s.scalar(select(InviteBlock.id).where(InviteBlock.account_id == owner,
                                                         InviteBlock.blocked_id == account_id)) is None

    # -- the recipient's setting ---------------------------------------------------------------------------
    def who(self, account_id: int) -> str:
        with self.store.tx() as s:
            return s.scalar(select(InviteSetting.who).where(InviteSetting.account_id == account_id)) or DEFAULT_WHO

    def set_who(self, account_id: int, who: object) -> str:
        if who not in WHO:
            raise AccountError("bad_setting", f"'who' must be one of {', '.join(WHO)}")
        with self.store.tx() as s:
            row = s.get(InviteSetting, account_id)
            if row is None:
                s.add(InviteSetting(account_id=account_id, who=str(who)))
            else:
                row.who = str(who)
            self.store._audit(s, str(account_id), "invitation.setting", account_id=account_id, detail=str(who))
        return str(who)

    # -- "tell me when this profile is claimed" ------------------------------------------------------------
    def watch(self, account_id: int, author_id: str) -> Watch:
        with self.store.tx() as s:
            if s.scalar(select(Claim.id).where(Claim.author_id == author_id, Claim.status == "claimed")):
                raise AccountError("already_claimed", f"{author_id} is claimed already: invite them instead",
                                   status=409)
            row = s.scalar(select(ClaimWatch).where(ClaimWatch.account_id == account_id,
                                                    ClaimWatch.author_id == author_id))
            if row is None:
                row = ClaimWatch(account_id=account_id, author_id=author_id, created_at=self.clock())
                s.add(row)
                self.store._audit(s, str(account_id), "invitation.watch", account_id=account_id,
                                  author_id=author_id)
            return Watch(row.author_id, _iso(row.created_at) or "", _iso(row.notified_at))

    def watches(self, account_id: int) -> list[Watch]:
        with self.store.tx() as s:
            rows = s.scalars(select(ClaimWatch).where(ClaimWatch.account_id == account_id)
                             .order_by(ClaimWatch.created_at.desc()))
            return [Watch(w.author_id, _iso(w.created_at) or "", _iso(w.notified_at)) for w in rows]

    def take_watchers(self, author_id: str) -> list[str]:
        """The addresses to tell that the author is now claimed; each watch is told once."""
        now = self.clock()
        with self.store.tx() as s:
            rows = list(s.scalars(select(ClaimWatch).where(ClaimWatch.author_id == author_id,
                                                           ClaimWatch.notified_at.is_(None)).with_for_update()))
            for row in rows:
                row.notified_at = now
                self.store._audit(s, "system", "invitation.watch_notified", account_id=row.account_id,
                                  author_id=author_id)
            return [s.get_one(Account, r.account_id).email for r in rows]

    # -- the admins' review --------------------------------------------------------------------------------
    def reports(self, *, reviewed: bool = False) -> list[ReportView]:
        with self.store.tx() as s:
            query = select(Invitation).where(Invitation.status == "reported")
            query = query.where(Invitation.reviewed_at.is_not(None) if reviewed else Invitation.reviewed_at.is_(None))
            return [ReportView(i.id, i.sender_id, i.sender.name, i.from_author_id, i.to_author_id, i.message,
                               i.report_reason, _iso(i.decided_at))
                    for i in s.scalars(query.order_by(Invitation.decided_at, Invitation.id))]

    def review(self, admin_id: int, invitation_id: int, note: object) -> ReportView:
        if not isinstance(note, str) or not note.strip():
            raise AccountError("missing_reason", "'reason' is required: it is kept with the review")
        with self.store.tx() as s:
            inv = s.get(Invitation, invitation_id)
            if inv is None or inv.status != "reported":
                raise AccountError("not_found", f"no reported invitation {invitation_id}", status=404)
            inv.reviewed_at = self.clock()
            self.store._audit(s, str(admin_id), "invitation.report_reviewed", account_id=inv.sender_id,
                              author_id=inv.to_author_id,
                              detail=json.dumps({"invitation": inv.id, "note": note.strip()[:2000]}))
            return ReportView(inv.id, inv.sender_id, inv.sender.name, inv.from_author_id, inv.to_author_id,
                              inv.message, inv.report_reason, _iso(inv.decided_at))


def _context_json(context: InviteContext | None) -> dict[str, Any]:
    if context is None:
        return {}
    return {"reasons": context.reasons, "path": [{"id": p.id, "name": p.name} for p in context.path]}


# -- across the two stores, and the mails (called by api/invitations.py and the pages) -------------------------
def for_app() -> Invitations:
    """The rules over the app's store; ``INVITATIONS_CLOCK`` in the app's config replaces the clock (tests)."""
    from flask import current_app

    from accounts import web

    return Invitations(web.get().store, current_app.config.get("INVITATIONS_CLOCK") or utcnow)


def near_in(db: Any) -> Near:
    from graph.invitations import within_two_hops

    return lambda from_ids, to_ids: within_two_hops(db, from_ids, to_ids)


def recommendation_context(db: Any, via: str, to_author: str) -> InviteContext:
    """The reasons of the recommendation of ``to_author`` for ``via`` and the warm-introduction path through the
    first introducer, computed here from the graph (a client cannot make up reasons)."""
    from graph import recommend

    for rec in recommend.recommendations(db, via, limit=recommend.MAX_LIMIT):
        if rec.id == to_author:
            path = ([IntroStep(via, _author_name(db, via)), IntroStep(rec.introducers[0].id, rec.introducers[0].name),
                     IntroStep(rec.id, rec.name)] if rec.introducers else [])
            return InviteContext(list(rec.reasons), path)
    raise AccountError("not_recommended", f"{to_author} is not among the recommendations for {via}")


def _author_name(db: Any, author_id: str) -> str:
    from graph.accounts import claim_facts

    return claim_facts(db, author_id).name


def _profile_url(public_url: str, author_id: str) -> str:
    from urllib.parse import quote

    return f"{public_url.rstrip('/')}/author/{quote(author_id, safe='')}"


def mail_sent(mailer: Any, public_url: str, to: str, inv: InvitationView) -> None:
    """Tell the recipient; the sender's address is not in it (replies go through the page)."""
    mailer.send(to, f"{inv.sender_name} invites you to collaborate",
                f"{inv.sender_name} ({_profile_url(public_url, inv.from_author or '')}) invites you to collaborate "
                f"on peergraph. Read the message and answer at {public_url.rstrip('/')}/invitations\n\n"
                "You can accept, decline, block the sender or report the invitation there; if you do nothing it "
                "expires after 30 days. Your address is shared only if you choose so when accepting.\n")


def mail_decided(mailer: Any, public_url: str, to: str, inv: InvitationView, shared: str | None) -> None:
    """Tell the sender that the invitation was accepted (with the address when shared); a decline, block or report
    is not mailed: the sender sees the status in their outbox."""
    if inv.status != "accepted":
        return
    contact = (f"They chose to share their address with you: {shared}\n" if shared
               else "They did not share their address; their profile is linked below.\n")
    mailer.send(to, "Your invitation to collaborate was accepted",
                f"Your invitation to {_profile_url(public_url, inv.to_author)} was accepted.\n{contact}"
                f"\nSee {public_url.rstrip('/')}/invitations\n")


def notify_claimed(invitations: Invitations, mailer: Any, public_url: str, author_id: str) -> int:
    """Mail every account that asked to be told when ``author_id`` is claimed (once each); how many."""
    addresses = invitations.take_watchers(author_id)
    for address in addresses:
        mailer.send(address, "A profile you watch is now claimed",
                    f"The profile {_profile_url(public_url, author_id)} has been claimed by its researcher: you "
                    "can now invite them to collaborate from that page.\n")
    return len(addresses)


def notify_claimed_in_app(store: Store, author_id: str) -> int:
    """``notify_claimed`` with the app's mailer; outside a request of the app (a CLI script) nothing is taken, so
    the watchers are told at the next change seen by the app."""
    from flask import current_app, has_app_context

    from accounts import web

    if not has_app_context() or web.EXTENSION not in current_app.extensions:
        return 0
    acc = web.get()
    return notify_claimed(Invitations(store, current_app.config.get("INVITATIONS_CLOCK") or utcnow), acc.mailer,
                          current_app.config["PUBLIC_URL"], author_id)
