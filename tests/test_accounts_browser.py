"""The account pages in a real browser: sign up, confirm from the outbox mail, claim, admin approval, the badge."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By

from accounts.web import EXTENSION
from tests.accounts_data import PW, last_link, load_people
from tests.conftest import console_errors
from tests.test_home_browser import wait_for_text as _wait_once

pytestmark = pytest.mark.browser


def wait_for_text(browser, selector: str, text: str, timeout: float = 30.0) -> str:
    """As the home page test's, but an element replaced mid-read (Dash swapping the page) is read again."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return _wait_once(browser, selector, text, max(1.0, deadline - time.monotonic()))
        except StaleElementReferenceException:
            if time.monotonic() > deadline:
                raise


def _fill(browser, values: dict[str, str]) -> None:
    for element_id, value in values.items():
        box = browser.find_element(By.ID, element_id)
        box.clear()
        box.send_keys(value)


def _click(browser, element_id: str) -> None:
    browser.find_element(By.ID, element_id).click()


def _log_in(browser, live_server: str, address: str) -> None:
    browser.get(live_server + "/account/login")
    wait_for_text(browser, "h1", "Log in")
    _fill(browser, {"login-email": address, "login-password": PW})
    _click(browser, "login-submit")
    wait_for_text(browser, "#acct-login-status", "Logged in as")


def test_sign_up_confirm_claim_approve_and_the_profile_shows_claimed_l2(browser, live_server, app, db,
                                                                        tmp_path) -> None:
    ada = load_people(db, tmp_path)["Ada Lovelace"]
    acc = app.extensions[EXTENSION]
    browser.delete_all_cookies()
    browser.get(live_server + "/account/signup")
    wait_for_text(browser, "h1", "Sign up")
    _fill(browser, {"signup-name": "Ada L.", "signup-email": "ada.browser@example.org", "signup-password": PW})
    _click(browser, "signup-submit")
    wait_for_text(browser, "#acct-signup-status", "Check your mail")

    browser.get(live_server + "/account/verify?token=" + last_link(acc.mailer.outbox, "/account/verify"))
    wait_for_text(browser, "h1", "Confirm")
    _click(browser, "verify-submit")
    wait_for_text(browser, "#acct-verify-status", "confirmed")
    _log_in(browser, live_server, "ada.browser@example.org")

    browser.get(live_server + f"/author/{quote(ada, safe='')}")
    wait_for_text(browser, "#author-claim", "Unclaimed author · L1")
    assert "Trust" in browser.find_element(By.ID, "author-trust").text
    _click(browser, "author-claim-button")
    wait_for_text(browser, "h1", "Claim")
    _click(browser, "claim-submit")
    wait_for_text(browser, "#acct-claim-status", "waits for an admin")

    _, token = acc.store.register("root.browser@example.org", PW, "Root")
    acc.store.verify_email(token)
    acc.store.set_role("root.browser@example.org", "admin")
    browser.delete_all_cookies()
    _log_in(browser, live_server, "root.browser@example.org")
    browser.get(live_server + "/admin/claims")
    wait_for_text(browser, "#admin-claims-table", "Ada L.")
    browser.find_element(By.CSS_SELECTOR, "#admin-claim input").click()
    _fill(browser, {"admin-reason": "confirmed with the department"})
    _click(browser, "admin-approve")
    wait_for_text(browser, "#acct-admin-status", "claimed · L2")

    browser.get(live_server + f"/author/{quote(ada, safe='')}")
    wait_for_text(browser, "#author-claim", "Claimed · L2")
    wait_for_text(browser, "#trust-heading", "Trust")
    assert console_errors(browser) == []


def test_a_state_changing_callback_without_the_csrf_token_is_refused(app, client) -> None:
    body = {"output": "acct-login-status.children", "outputs": {"id": "acct-login-status", "property": "children"},
            "inputs": [{"id": "login-submit", "property": "n_clicks", "value": 1}], "changedPropIds": [],
            "state": [{"id": "login-email", "property": "value", "value": "a@example.org"},
                      {"id": "login-password", "property": "value", "value": "x" * 12}]}
    refused = client.post("/_dash-update-component", json=body)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "csrf"
    token = client.get("/api/account/csrf").get_json()["csrf_token"]
    allowed = client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": token})
    assert allowed.status_code == 200 and "not right" in allowed.get_data(as_text=True)
