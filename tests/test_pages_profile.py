"""The search box, the profile, topic, institution and search pages in a real browser (headless Chromium).

The tests only read the bundled sample (``sample_browser``). Expected values come from the seed file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import console_errors
from tests.conftest import wait_for_text as wait_for
from tests.explorer_data import person, seed_records

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/peergraph-shots")




def his_records() -> list[dict]:
    return [r for r in seed_records() if any(person(n) == "geiger_m" for n in r["authors"])]


def shot(browser, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(SHOTS / f"{name}.png"))


def test_search_box_leads_to_the_profile(sample_browser, live_server) -> None:
    browser = sample_browser
    mine = his_records()
    browser.get(live_server + "/")
    box = WebDriverWait(browser, 20).until(lambda b: b.find_element(By.ID, "pg-search-q"))
    box.send_keys("Geiger")
    wait_for(browser, "#pg-search-suggest .pg-suggest-item", "Mario Geiger")
    box.send_keys(Keys.ARROW_DOWN)
    box.send_keys(Keys.ENTER)
    assert wait_for(browser, "#author-name", "Mario Geiger")
    assert "/author/" in browser.current_url
    stats = wait_for(browser, "#author-stats", "Works")
    assert f"{len(mine)}\nWorks" in stats
    assert "no data\nCitations" in stats  # the seed has no citation counts: not shown as a measured 0
    collaborators = wait_for(browser, "#author-collaborators", "joint work")
    expected = {person(n) for r in mine for n in r["authors"]} - {"geiger_m"}
    shown = {person(a.text) for a in browser.find_elements(By.CSS_SELECTOR, "#author-collaborators a")}
    assert shown <= expected and len(shown) == min(20, len(expected)), collaborators
    works = browser.find_elements(By.CSS_SELECTOR, "#author-works > li")
    assert len(works) == len(mine)
    badges = {b.text for b in browser.find_elements(By.CSS_SELECTOR, "#author-works .pg-badge")}
    assert badges == {r["category_label"] for r in mine}  # the pages' badges: LG, ML, COMP-PH, ...
    code = browser.find_elements(By.CSS_SELECTOR, "#author-works .pg-badge-code")
    assert len(code) == sum(1 for r in mine if r["has_code"])
    assert {a.get_attribute("href") for a in code if a.tag_name == "a"} == {
        r["code_url"] for r in mine if r["code_url"]}
    incomplete = sum(1 for r in mine if not r["authors_complete"])
    assert f"{incomplete} of {len(mine)} works list only the first authors" in browser.page_source
    assert browser.find_element(By.LINK_TEXT, "How am I connected to\u2026").get_attribute("href").endswith(
        "/paths?from=name%3Ageiger_m")
    recs = wait_for(browser, "#author-recs", "")
    assert "both work on" in recs or "shared co-author" in recs
    shot(browser, "profile")
    assert console_errors(browser) == []


def test_topic_institution_search_and_unknown_pages(sample_browser, live_server) -> None:
    browser = sample_browser
    mine = his_records()
    browser.get(live_server + "/topic/arxiv%3Acs.LG")
    wait_for(browser, "#topic-name", "Machine Learning")
    assert "Mario Geiger" in wait_for(browser, ".pg-col-side", "Top authors")
    shot(browser, "topic")
    browser.get(live_server + "/search?q=spherical")
    results = wait_for(browser, "#search-results", "Spherical")
    titles = {r["title"] for r in mine if "spherical" in r["title"].lower()}
    assert all(t in results for t in titles)
    shot(browser, "search")
    browser.get(live_server + "/author/name%3Anobody_x")
    assert "No researcher with id \u201cname:nobody_x\u201d" in wait_for(browser, ".pg-notfound", "No researcher")
    browser.get(live_server + "/topic/openalex%3Asubfields%2F0")
    assert "openalex:subfields/0" in wait_for(browser, ".pg-notfound", "No topic")
    assert console_errors(browser) == []
