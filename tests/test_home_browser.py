"""The home page in a real browser: counts from the graph, the search form."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.conftest import console_errors, wait_for_text

pytestmark = pytest.mark.browser


def test_home_shows_the_counts_of_the_graph(browser, live_server, db) -> None:
    db.driver.execute_query(
        "UNWIND range(1, 3) AS i CREATE (:Author {id: 'a' + i})-[:AUTHORED]->(:Paper {id: 'p' + i})")
    browser.get(live_server + "/")
    text = wait_for_text(browser, "#home-counts", "Authors")
    assert "3\nAuthors" in text and "3\nPapers" in text and "3\nAUTHORED" in text
    assert browser.find_element(By.CSS_SELECTOR, "input[name=q]")
    assert console_errors(browser) == []
