"""The feed in a real browser, on real data: follow Mario Geiger on his profile, load the sample's extra file
(a work of his the sample does not hold), and the feed shows that work."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest

from accounts.feed import FeedWatch
from accounts.web import EXTENSION
from loaders import load_files
from loaders.sample import OWNERS, SAMPLE_DIR
from tests.accounts_data import PW
from tests.conftest import console_errors
from tests.test_accounts_browser import _click, _log_in
from tests.test_accounts_browser import wait_for_text as _wait

pytestmark = pytest.mark.browser

EXTRA = SAMPLE_DIR / "geiger-new-work.jsonl"


def wait_for_text(browser, selector: str, text: str) -> str:
    # The profile computes much (metrics, trust, the research graph): on a busy machine it takes more than 30 s.
    return _wait(browser, selector, text, timeout=120.0)


def test_follow_mario_geiger_then_a_load_puts_his_new_work_in_the_feed(browser, live_server, app, db,
                                                                       tmp_path: Path) -> None:
    seed = SAMPLE_DIR / "geiger-works.jsonl"
    load_files(db, "works", [seed], rejects=tmp_path / "seed.rejects", progress=False, owner=OWNERS[seed.name])
    geiger = db.read_tx(lambda tx: tx.run("MATCH (a:Author {name: 'Mario Geiger'}) RETURN a.id AS id").single()["id"])
    store = app.extensions[EXTENSION].store
    _, token = store.register("geiger.fan@example.org", PW, "Geiger Fan")
    store.verify_email(token)

    browser.delete_all_cookies()
    _log_in(browser, live_server, "geiger.fan@example.org")
    browser.get(live_server + f"/author/{quote(geiger, safe='')}")
    wait_for_text(browser, "#acct-follow-button", "Follow")
    _click(browser, "acct-follow-button")
    wait_for_text(browser, "#acct-follow-button", "Unfollow")
    wait_for_text(browser, "#acct-follow-count", "1 follower")

    browser.get(live_server + "/feed")
    wait_for_text(browser, "#acct-feed-list", "Nothing yet")
    load_files(db, "works", [EXTRA], rejects=tmp_path / "extra.rejects", progress=False, watch=FeedWatch(store))
    title = json.loads(EXTRA.read_text(encoding="utf-8"))["title"]
    browser.get(live_server + "/feed")
    wait_for_text(browser, "#acct-feed-list", title)
    wait_for_text(browser, "#acct-feed-list", "Mario Geiger")
    assert "unread" in browser.find_element("id", "acct-feed-unread").text
    assert console_errors(browser) == []
