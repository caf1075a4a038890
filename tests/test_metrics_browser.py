"""AI share and novelty on Mario Geiger's profile page, in a real browser; expected values from the seed file."""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.by import By

from loaders import load_files
from tests.conftest import ROOT, console_errors
from tests.test_pages_profile import wait_for

pytestmark = pytest.mark.browser
SEED = ROOT / "data" / "sample" / "geiger-works.jsonl"
AI = {"cs.AI", "cs.LG", "stat.ML", "cs.CL", "cs.CV", "cs.RO", "cs.MA"}


def test_profile_shows_ai_share_and_novelty_with_their_method(browser, live_server, db, tmp_path) -> None:
    load_files(db, "works", [SEED], rejects=tmp_path / "rejects.jsonl", progress=False, owner="Mario Geiger")
    with SEED.open(encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    judged = [r for r in records if r["categories"]]
    ai = [r for r in judged if AI & set(r["categories"])]
    browser.get(live_server + "/author/name:geiger_m")
    share = wait_for(browser, "#author-ai-share", "AI share")
    assert f"{round(100 * len(ai) / len(judged))} %" in share
    assert f"{len(ai)} of {len(judged)} judged works" in share
    assert "ai-share-v1" in share
    novelty = wait_for(browser, "#author-novelty", "Novelty")
    assert "not enough data" in novelty and "novelty-v1" in novelty
    link = browser.find_element(By.CSS_SELECTOR, "#author-ai-share a.pg-metric-how")
    assert link.get_attribute("href").endswith("#how-metrics")
    method = browser.find_element(By.ID, "how-metrics")
    method.find_element(By.TAG_NAME, "summary").click()
    assert wait_for(browser, "#how-metrics", "Lee, Walsh & Wang 2015")
    assert "subfield 1702" in method.text
    assert console_errors(browser) == []
