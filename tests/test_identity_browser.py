"""The profile's identity panel in a real browser: an admin sees the clusters and splits one off."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from loader_helpers import rows
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By

from accounts.web import EXTENSION
from tests.accounts_data import PW
from tests.conftest import console_errors, wait_until
from tests.test_accounts_browser import _log_in, wait_for_text
from tests.test_identity_api import KNITTING, load, paper_id

pytestmark = pytest.mark.browser


def test_an_admin_splits_a_cluster_off_from_the_profile(browser, live_server, app, db, tmp_path) -> None:
    ada = load(db, tmp_path)["Ada Lovelace"]
    knitting = paper_id(db, KNITTING)
    acc = app.extensions[EXTENSION]
    _, token = acc.store.register("root.identity@example.org", PW, "Root")
    acc.store.verify_email(token)
    acc.store.set_role("root.identity@example.org", "admin")
    browser.delete_all_cookies()
    _log_in(browser, live_server, "root.identity@example.org")

    browser.get(live_server + f"/author/{quote(ada, safe='')}")
    wait_for_text(browser, "#identity-summary", "may hold several people")
    browser.find_element(By.ID, "identity-summary").click()
    listed = wait_for_text(browser, "#identity-clusters-list", KNITTING)
    assert "Cluster 2: 1 work" in listed and "Carl Weaver" in listed  # the evidence of the odd cluster
    buttons = browser.find_elements(By.CSS_SELECTOR, ".pg-identity-cluster button")
    assert len(buttons) == 2
    buttons[1].click()
    alert = wait_until(lambda: _alert(browser), what="the confirm dialog")
    assert knitting in alert.text
    alert.accept()
    wait_for_text(browser, "#acct-identity-result", f"split 1 authorship(s) off {ada}")
    owners = rows(db, "MATCH (a:Author)-[:AUTHORED]->(:Paper {id: $p}) RETURN a.id AS id", p=knitting)
    assert ada not in [r["id"] for r in owners] and len(owners) == 2
    assert console_errors(browser) == []


def _alert(browser):  # type: ignore[no-untyped-def]
    try:
        return browser.switch_to.alert
    except NoAlertPresentException:
        return None
