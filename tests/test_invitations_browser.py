"""Invitations in a real browser: a verified account invites a claimed author from the profile's dialog, and the
recipient accepts in their inbox page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from selenium.webdriver.common.by import By

from accounts.models import Account
from accounts.store import Store
from accounts.web import EXTENSION
from tests.accounts_data import PW, load_people
from tests.conftest import console_errors
from tests.test_accounts_browser import _click, _fill, _log_in, wait_for_text

pytestmark = pytest.mark.browser


def _verified(acc, address: str, name: str, author: str, *, age_days: int) -> None:  # type: ignore[no-untyped-def]
    _, token = acc.store.register(address, PW, name)
    acc.store.verify_email(token)
    account_id = acc.store.login(address, PW)[0].id
    acc.store.open_claim(account_id, author, level="L2", evidence=[{"kind": "test"}])
    with acc.store.tx() as s:  # made ``age_days`` ago: senders need an account at least 7 days old
        s.get_one(Account, account_id).created_at -= timedelta(days=age_days)


@pytest.fixture
def own_store(app, tmp_path: Path) -> Iterator[Store]:
    """A store of this test's own: the session's app keeps one store, and an earlier test's claim on the same
    author would make this test's claim disputed rather than granted."""
    acc = app.extensions[EXTENSION]
    store = Store(f"sqlite:///{tmp_path / 'accounts.sqlite3'}")
    store.migrate()
    saved, acc.store = acc.store, store
    try:
        yield store
    finally:
        acc.store = saved
        store.close()


def test_invite_from_the_profile_and_accept_in_the_inbox(browser, live_server, app, db, tmp_path,
                                                          own_store) -> None:
    people = load_people(db, tmp_path)
    acc = app.extensions[EXTENSION]
    _verified(acc, "ada.invite@example.org", "Ada Inviter", people["Ada Lovelace"], age_days=8)
    _verified(acc, "bob.invite@example.org", "Bob Invitee", people["Bob Builder"], age_days=0)

    browser.delete_all_cookies()
    _log_in(browser, live_server, "ada.invite@example.org")
    browser.get(live_server + f"/author/{quote(people['Bob Builder'], safe='')}")
    wait_for_text(browser, "#author-name", "Bob Builder", timeout=90)  # the profile runs a dozen queries
    wait_for_text(browser, "#invite-open", "Invite to collaborate")
    _click(browser, "invite-open")
    _fill(browser, {"invite-message": "Shall we write about <graphs> together?"})
    _click(browser, "invite-send")
    wait_for_text(browser, "#acct-invite-status", "Invitation sent")

    browser.delete_all_cookies()
    _log_in(browser, live_server, "bob.invite@example.org")
    browser.get(live_server + "/invitations")
    wait_for_text(browser, "#invitations-inbox", "Shall we write about <graphs> together?")  # as text, not HTML
    assert "Ada Inviter" in browser.find_element(By.ID, "invitations-inbox").text
    browser.find_element(By.XPATH, "//li[contains(@class,'pg-invitation')]//input[@type='checkbox']").click()
    browser.find_element(By.XPATH, "//button[text()='Accept']").click()
    wait_for_text(browser, "#acct-inbox", "accepted")

    browser.delete_all_cookies()
    _log_in(browser, live_server, "ada.invite@example.org")
    browser.get(live_server + "/invitations")
    wait_for_text(browser, "#invitations-sent", "address shared: bob.invite@example.org")
    assert console_errors(browser) == []
