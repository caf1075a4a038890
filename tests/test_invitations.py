"""The invitation rules on the account store alone (no Neo4j, no app): each limit with an injected clock, each
recipient setting, each answer, expiry, blocks, reports, "tell me when claimed" and the address-sharing rule.

Accounts and claims are written straight into the store (no password hashing), so the file runs in about a second.
Expected times follow from the rules' numbers (5 a day, 20 a week, 21 days, 30 days, 6 of the last 10, 7 days).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from accounts.invitations import Invitations, InvitationView, LimitReached
from accounts.models import Account, Audit, Claim, Follow, utcnow
from accounts.store import AccountError, Store

START = datetime(2026, 1, 5, 9, 0)  # accounts are made at START; the clock runs from START + 8 days


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(START + timedelta(days=8))


def person(store: Store, name: str, *, author: str | None = None, level: str | None = "L2",
           created: datetime = START) -> int:
    """An account (``name``@example.org) with a granted claim on ``author`` at ``level`` (None: pending)."""
    with store.tx() as s:
        account = Account(email=f"{name}@example.org", name=name.title(), password_hash="-", email_verified=True,
                          role="user", created_at=created)
        s.add(account)
        s.flush()
        if author:
            s.add(Claim(account_id=account.id, author_id=author, status="claimed" if level else "pending",
                        level=level, evidence="[]"))
        return account.id


def near_never(_a: object, _b: object) -> bool:
    return False


def refused(call, code: str) -> AccountError:  # type: ignore[no-untyped-def]
    with pytest.raises(AccountError) as caught:
        call()
    assert caught.value.code == code, caught.value.message
    return caught.value


@pytest.fixture
def pair(sqlite_store: Store, clock: Clock) -> tuple[Invitations, int, int]:
    """(rules, sender, recipient): both verified at L2, the recipient owns ``author:rita``."""
    rules = Invitations(sqlite_store, clock)
    return rules, person(sqlite_store, "sam", author="author:sam"), person(sqlite_store, "rita", author="author:rita")


def send(rules: Invitations, sender: int, to: str = "author:rita", text: str = "Shall we?") -> InvitationView:
    return rules.send(sender, to, text, near=near_never)[0]


# -- who may send ------------------------------------------------------------------------------------------------
def test_only_verified_accounts_seven_days_old_may_send(sqlite_store: Store, clock: Clock) -> None:
    rules = Invitations(sqlite_store, clock)
    person(sqlite_store, "rita", author="author:rita")
    nobody = person(sqlite_store, "nina")
    pending = person(sqlite_store, "pat", author="author:pat", level=None)
    fresh = person(sqlite_store, "fred", author="author:fred", created=clock.at - timedelta(days=6, hours=23))
    assert refused(lambda: send(rules, nobody), "not_verified").status == 403
    refused(lambda: send(rules, pending), "not_verified")
    assert refused(lambda: send(rules, fresh), "account_too_new").status == 403
    clock.advance(hours=1)  # now exactly 7 days old
    assert send(rules, fresh).status == "pending"


def test_only_claimed_authors_can_be_invited_and_not_oneself(pair: tuple[Invitations, int, int]) -> None:
    rules, sam, _ = pair
    assert refused(lambda: send(rules, sam, to="author:unclaimed"), "not_claimed").status == 409
    assert refused(lambda: send(rules, sam, to="author:sam"), "self").status == 400


def test_message_is_plain_text_of_at_most_1000_characters(pair: tuple[Invitations, int, int]) -> None:
    rules, sam, rita = pair
    refused(lambda: send(rules, sam, text="   "), "bad_message")
    assert "1001 characters" in refused(lambda: send(rules, sam, text="x" * 1001), "bad_message").message
    refused(lambda: send(rules, sam, text="hi\x00there"), "bad_message")
    markup = "<b>bold</b> & <script>alert(1)</script>"
    html = markup + "y" * (1000 - len(markup))
    assert len(html) == 1000
    sent = send(rules, sam, text=html)
    assert rules.box(rita, "inbox")[0].message == html == sent.message  # kept as typed: the pages show text


# -- limits --------------------------------------------------------------------------------------------------------
def test_five_a_day_and_twenty_a_week(sqlite_store: Store, clock: Clock) -> None:
    rules = Invitations(sqlite_store, clock)
    sam = person(sqlite_store, "sam", author="author:sam")
    for n in range(25):
        person(sqlite_store, f"r{n}", author=f"author:r{n}")
    first = clock.at
    for n in range(5):
        send(rules, sam, to=f"author:r{n}")
        clock.advance(minutes=10)
    with pytest.raises(LimitReached) as day:
        send(rules, sam, to="author:r5")
    assert day.value.code == "rate_limited" and day.value.status == 429
    # The oldest of the five leaves the 24-hour window at first + 1 day.
    assert day.value.retry_after == int((first + timedelta(days=1) - clock.at).total_seconds())
    sent = 5
    for _ in range(3):  # three more days, five a day: 20 in all
        clock.at = first + timedelta(days=1 + _, hours=1)
        for _n in range(5):
            send(rules, sam, to=f"author:r{sent}")
            sent += 1
    assert sent == 20
    clock.at = first + timedelta(days=4, hours=1)  # a new day, but 20 within the week
    with pytest.raises(LimitReached) as week:
        send(rules, sam, to="author:r20")
    assert "20 invitations a week" in week.value.message
    clock.at = first + timedelta(days=7, seconds=-1)
    refused(lambda: send(rules, sam, to="author:r20"), "rate_limited")
    clock.at = first + timedelta(days=7, seconds=1)  # the first of the week's twenty left it
    send(rules, sam, to="author:r20")


def test_one_pending_per_pair_and_21_days_after_a_decline(pair: tuple[Invitations, int, int], clock: Clock) -> None:
    rules, sam, rita = pair
    first = send(rules, sam)
    assert refused(lambda: send(rules, sam), "already_pending").status == 409
    clock.advance(days=1)
    rules.decide(rita, first.id, "decline")
    clock.advance(days=21, seconds=-1)
    refused(lambda: send(rules, sam), "declined_recently")
    clock.advance(seconds=1)
    assert send(rules, sam).status == "pending"


def test_a_sender_mostly_declined_is_throttled_for_seven_days(store: Store, clock: Clock) -> None:
    sqlite_store = store
    rules = Invitations(sqlite_store, clock)
    sam = person(sqlite_store, "sam", author="author:sam")
    people = [person(sqlite_store, f"r{n}", author=f"author:r{n}") for n in range(12)]
    answers = ["accept"] * 4 + ["decline", "decline", "report", "block", "decline"]  # 4 positive, 5 negative
    for n, action in enumerate(answers):
        view = send(rules, sam, to=f"author:r{n}")
        rules.decide(people[n], view.id, action)
        clock.advance(days=1)  # within the daily limit
    assert send(rules, sam, to="author:r9").status == "pending"  # 5 of the last 9 decided: not yet
    last = rules.box(people[9], "inbox")[0]
    rules.decide(people[9], last.id, "decline")  # 6 of the last 10 are negative
    decided_at = clock.at
    clock.advance(days=3)
    with pytest.raises(LimitReached) as caught:
        send(rules, sam, to="author:r10")
    assert caught.value.code == "throttled"
    assert caught.value.retry_after == int((decided_at + timedelta(days=7) - clock.at).total_seconds())
    clock.at = decided_at + timedelta(days=7)
    assert send(rules, sam, to="author:r10").status == "pending"


def test_ignored_invitations_expire_after_30_days_and_do_not_count_against_the_sender(
        pair: tuple[Invitations, int, int], clock: Clock, sqlite_store: Store) -> None:
    rules, sam, rita = pair
    view = send(rules, sam)
    assert view.expires_at == (clock.at + timedelta(days=30)).isoformat() + "Z"
    clock.advance(days=30, seconds=-1)
    assert rules.box(rita, "inbox")[0].status == "pending"
    clock.advance(seconds=1)
    assert rules.box(rita, "inbox")[0].status == "expired"
    assert rules.box(sam, "outbox")[0].status == "expired"
    refused(lambda: rules.decide(rita, view.id, "accept"), "bad_state")
    assert send(rules, sam).status == "pending"  # no cool-down after an expiry
    with sqlite_store.tx() as s:
        assert s.scalar(select(Audit.actor).where(Audit.action == "invitation.expired")) == "system"


# -- the recipient's setting ------------------------------------------------------------------------------------
def test_each_recipient_setting(pair: tuple[Invitations, int, int], sqlite_store: Store) -> None:
    rules, sam, rita = pair
    assert rules.who(rita) == "verified"  # the default: any verified researcher
    refused(lambda: rules.set_who(rita, "everyone"), "bad_setting")
    rules.set_who(rita, "nobody")
    assert refused(lambda: send(rules, sam), "not_accepting").status == 403
    rules.set_who(rita, "followers")
    refused(lambda: send(rules, sam), "not_allowed")
    with sqlite_store.tx() as s:
        s.add(Follow(account_id=sam, author_id="author:rita"))
    first = send(rules, sam)
    rules.decide(rita, first.id, "accept")
    rules.set_who(rita, "coauthors2")
    asked: list[tuple[list[str], list[str]]] = []

    def near(a, b):  # type: ignore[no-untyped-def]
        asked.append((list(a), list(b)))
        return len(asked) > 1  # far the first time, near the second

    refused(lambda: rules.send(sam, "author:rita", "again", near=near), "not_allowed")
    assert rules.send(sam, "author:rita", "again", near=near)[0].status == "pending"
    assert asked[0] == (["author:sam"], ["author:rita"])  # the two accounts' claimed authors


# -- the answers ------------------------------------------------------------------------------------------------
def test_accept_shares_the_address_only_when_chosen(store: Store, clock: Clock) -> None:
    """On SQLite and PostgreSQL (the ``store`` fixture), as the throttle below."""
    sqlite_store = store
    rules = Invitations(sqlite_store, clock)
    sam = person(sqlite_store, "sam", author="author:sam")
    rita, rob = person(sqlite_store, "rita", author="author:rita"), person(sqlite_store, "rob", author="author:rob")
    to_rita, to_rob = send(rules, sam), send(rules, sam, to="author:rob")
    assert all(i.email is None for i in rules.box(sam, "outbox") + rules.box(rita, "inbox"))
    refused(lambda: rules.decide(rob, to_rob.id, "decline", share_email=True), "bad_share_email")
    view, sender_address, shared = rules.decide(rita, to_rita.id, "accept", share_email=True)
    assert (view.status, sender_address, shared) == ("accepted", "sam@example.org", "rita@example.org")
    assert view.email is None  # the recipient's own view shows no address, and never the sender's
    _, _, not_shared = rules.decide(rob, to_rob.id, "accept")
    assert not_shared is None
    emails = {i.to_author: i.email for i in rules.box(sam, "outbox")}
    assert emails == {"author:rita": "rita@example.org", "author:rob": None}
    assert all(i.email is None for i in rules.box(rita, "inbox") + rules.box(rob, "inbox"))


def test_only_the_recipient_answers_once(pair: tuple[Invitations, int, int], sqlite_store: Store) -> None:
    rules, sam, rita = pair
    other = person(sqlite_store, "otto", author="author:otto")
    view = send(rules, sam)
    assert refused(lambda: rules.decide(sam, view.id, "accept"), "not_recipient").status == 403
    assert refused(lambda: rules.decide(other, view.id, "accept"), "not_found").status == 404
    refused(lambda: rules.decide(rita, view.id, "ignore"), "bad_action")
    rules.decide(rita, view.id, "decline")
    assert refused(lambda: rules.decide(rita, view.id, "accept"), "bad_state").status == 409


def test_block_stops_invitations_and_follows(pair: tuple[Invitations, int, int], sqlite_store: Store) -> None:
    rules, sam, rita = pair
    other = person(sqlite_store, "otto", author="author:otto")
    assert rules.may_follow(sam, "author:rita")
    rules.decide(rita, send(rules, sam).id, "block")
    assert refused(lambda: send(rules, sam), "blocked").status == 403
    assert not rules.may_follow(sam, "author:rita")
    assert rules.may_follow(other, "author:rita") and rules.may_follow(sam, "author:unclaimed")
    assert send(rules, other).status == "pending"


def test_report_goes_to_the_admins_until_reviewed(pair: tuple[Invitations, int, int]) -> None:
    rules, sam, rita = pair
    view = send(rules, sam, text="buy my course")
    refused(lambda: rules.decide(rita, view.id, "report", reason="x" * 1001), "bad_reason")
    rules.decide(rita, view.id, "report", reason="spam")
    [report] = rules.reports()
    assert (report.id, report.sender_name, report.message, report.reason) == (view.id, "Sam", "buy my course", "spam")
    refused(lambda: rules.review(1, view.id, " "), "missing_reason")
    rules.review(1, view.id, "warned the sender")
    assert rules.reports() == [] and [r.id for r in rules.reports(reviewed=True)] == [view.id]


def test_every_step_is_audited_without_the_message(pair: tuple[Invitations, int, int], sqlite_store: Store) -> None:
    rules, sam, rita = pair
    rules.set_who(rita, "verified")
    view = send(rules, sam, text="a private note")
    rules.decide(rita, view.id, "accept")
    rules.watch(sam, "author:nobody")
    with sqlite_store.tx() as s:
        rows = list(s.scalars(select(Audit).where(Audit.action.like("invitation.%")).order_by(Audit.id)))
        actions = [(a.actor, a.action) for a in rows]
        details = " ".join(a.detail for a in rows)
    assert actions == [(str(rita), "invitation.setting"), (str(sam), "invitation.sent"),
                       (str(rita), "invitation.accepted"), (str(sam), "invitation.watch")]
    assert json.loads(rows[1].detail)["invitation"] == view.id
    assert "private note" not in details and "@" not in details


# -- "tell me when this profile is claimed" -----------------------------------------------------------------------
def test_watchers_are_told_once_when_the_profile_is_claimed(pair: tuple[Invitations, int, int],
                                                            sqlite_store: Store) -> None:
    rules, sam, rita = pair
    assert refused(lambda: rules.watch(sam, "author:rita"), "already_claimed").status == 409
    rules.watch(sam, "author:new")
    rules.watch(sam, "author:new")  # once is enough
    rules.watch(rita, "author:new")
    assert [w.author_id for w in rules.watches(sam)] == ["author:new"]
    assert sorted(rules.take_watchers("author:new")) == ["rita@example.org", "sam@example.org"]
    assert rules.take_watchers("author:new") == []
    assert rules.watches(sam)[0].notified_at is not None


def test_the_real_clock_by_default(sqlite_store: Store) -> None:
    rules = Invitations(sqlite_store)
    assert abs((rules.clock() - utcnow()).total_seconds()) < 5


def test_deleting_an_account_deletes_its_invitations_blocks_and_watches(pair: tuple[Invitations, int, int],
                                                                        sqlite_store: Store) -> None:
    rules, sam, rita = pair
    rules.decide(rita, send(rules, sam).id, "block")
    rules.watch(sam, "author:new")
    sqlite_store.delete_account(sam)
    assert rules.box(rita, "inbox") == [] and rules.may_follow(sam, "author:rita")
    assert rules.take_watchers("author:new") == []
