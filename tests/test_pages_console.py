"""The Cypher console in headless Chromium: library, editor, run (button and Ctrl+Enter), views, refusal, CSV."""

from __future__ import annotations

import csv
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import networkx as nx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.conftest import console_errors, wait_until
from tests.conftest import wait_for_text as wait_for

pytestmark = pytest.mark.browser

PAIRS = [("a:1", "a:2", 3), ("a:1", "a:3", 1), ("a:2", "a:3", 2), ("a:3", "a:4", 5), ("a:4", "a:5", 1)]


def make_graph(db) -> nx.Graph:
    db.driver.execute_query(
        """UNWIND $pairs AS pair
           MERGE (a:Author {id: pair[0]}) SET a.name = 'Author ' + pair[0]
           MERGE (b:Author {id: pair[1]}) SET b.name = 'Author ' + pair[1]
           MERGE (a)-[c:COAUTHOR]->(b) SET c.works = pair[2], c.first_year = 2020, c.last_year = 2021""",
        pairs=[list(p) for p in PAIRS])
    graph = nx.Graph()
    graph.add_weighted_edges_from(PAIRS, weight="works")
    return graph


def replace_text(browser, element_id: str, text: str) -> None:
    """Type into a Dash textarea the way a person does (select all, delete, type)."""
    box = browser.find_element(By.ID, element_id)
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    box.send_keys(text)


def open_console(browser, live_server: str, search: str = "") -> None:
    browser.get(live_server + "/cypher" + search)
    wait_for(browser, ".cq-library", "Saved queries")
    wait_for(browser, "#console-schema", "Labels")


def table_rows(browser, count: int | None = None) -> list[list[str]]:
    """The table's rows; with ``count``, once it shows that many (the row count and the table are two outputs
    the page renders one after the other: a loaded machine once read the table between the two)."""
    deadline = time.monotonic() + 10
    while True:
        rows = browser.execute_script(
            "return Array.from(document.querySelectorAll('#console-result-table tbody tr'))"
            ".map(tr => Array.from(tr.querySelectorAll('td')).map(td => td.innerText));")
        if count is None or len(rows) == count or time.monotonic() > deadline:
            return rows
        time.sleep(0.1)


def test_pick_a_saved_query_change_a_parameter_and_run(browser, live_server, db) -> None:
    graph = make_graph(db)
    open_console(browser, live_server)
    titles = [b.text for b in browser.find_elements(By.CSS_SELECTOR, ".cq-saved-title")]
    assert len(titles) >= 12 and "Top collaborators of a researcher" in titles
    browser.find_element(By.XPATH, "//button[text()='Top collaborators of a researcher']").click()
    def value(element_id: str) -> str:
        return browser.find_element(By.ID, element_id).get_attribute("value") or ""

    wait_until(lambda: "COAUTHOR" in value("console-query"), 10, "the saved query in the editor")
    # The editor (which polls for values set by a callback) and the parameters field fill at their own pace.
    wait_until(lambda: "name:geiger_m" in value("console-params"), 10, "the saved query's parameters")
    # The editor highlights keywords and numbers its lines.
    # A value set by a callback is re-rendered by the editor's poll (every 120 ms): wait for it.
    wait_for(browser, ".cq-highlight-code", "COAUTHOR")
    wait_for(browser, ".cq-highlight-code .cq-tok-keyword", "MATCH")
    lines = browser.find_element(By.ID, "console-query").get_attribute("value").count("\n") + 1
    deadline = time.monotonic() + 5
    while len(browser.find_elements(By.CSS_SELECTOR, ".cq-gutter div")) != lines:
        assert time.monotonic() < deadline, (
            f"the gutter shows {len(browser.find_elements(By.CSS_SELECTOR, '.cq-gutter div'))} line numbers "
            f"for {lines} lines")
        time.sleep(0.1)

    replace_text(browser, "console-params", '{"author_id": "a:3", "limit": 20}')
    browser.find_element(By.ID, "console-run").click()
    wait_for(browser, "#console-rowcount", f"{graph.degree('a:3')} rows")
    expected = sorted(graph["a:3"], key=lambda n: -graph["a:3"][n]["works"])
    shown = table_rows(browser, len(expected))
    assert [row[0] for row in shown] == expected
    assert [row[2] for row in shown] == [str(graph["a:3"][n]["works"]) for n in expected]

    # The link reproduces the result.
    args = parse_qs(urlparse(browser.current_url).query)
    assert "COAUTHOR" in args["q"][0] and '"a:3"' in args["params"][0] and args["view"] == ["table"]
    browser.get(browser.current_url)
    wait_for(browser, "#console-rowcount", f"{graph.degree('a:3')} rows")
    assert console_errors(browser) == []


def test_ctrl_enter_runs_and_the_graph_tab_draws_the_result(browser, live_server, db) -> None:
    graph = make_graph(db)
    open_console(browser, live_server)
    replace_text(browser, "console-query", "MATCH (a:Author)-[c:COAUTHOR]->(b:Author)\nRETURN a, c, b")
    browser.find_element(By.ID, "console-query").send_keys(Keys.CONTROL, Keys.ENTER)
    wait_for(browser, "#console-rowcount", f"{graph.number_of_edges()} rows")
    browser.find_element(By.ID, "console-tab-graph").click()
    note = wait_for(browser, "#console-graph-note", "nodes")
    assert note == f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} relationships"
    drawn = browser.execute_script(
        "const cy = document.getElementById('console-graph')._cyreg.cy;"
        "return [cy.nodes().map(n => n.id()).sort(), cy.edges().length];")
    assert drawn == [sorted(graph.nodes), graph.number_of_edges()]
    assert "view=graph" in browser.current_url
    assert console_errors(browser) == []


def test_sorting_and_paging_the_table(browser, live_server, db) -> None:
    open_console(browser, live_server)
    replace_text(browser, "console-query", "UNWIND range(1, 60) AS x RETURN x, 60 - x AS y")
    browser.find_element(By.ID, "console-run").click()
    wait_for(browser, "#console-rowcount", "60 rows")
    assert browser.find_element(By.ID, "console-page").text == "page 1 of 3"
    browser.find_element(By.XPATH, "//button[contains(@class,'cq-sort') and starts-with(text(),'y')]").click()
    wait_for(browser, ".cq-sort", "y ▲")
    assert table_rows(browser)[0] == ["60", "0"]
    browser.find_element(By.ID, "console-next").click()
    wait_for(browser, "#console-page", "page 2 of 3")
    assert table_rows(browser)[0] == ["35", "25"]
    assert console_errors(browser) == []


def test_a_write_is_refused_on_the_page(browser, live_server, db) -> None:
    make_graph(db)
    open_console(browser, live_server)
    replace_text(browser, "console-query", "MATCH (n)\nDETACH DELETE n")
    browser.find_element(By.ID, "console-run").click()
    message = wait_for(browser, "#console-error", "refused")
    assert "writes are not allowed in the console (DETACH) at line 2, column 1" in message
    assert browser.find_element(By.CSS_SELECTOR, "#console-error .cq-caret").text.startswith("DETACH DELETE n\n^")
    assert db.driver.execute_query("MATCH (n) RETURN count(n) AS c").records[0]["c"] == 5
    replace_text(browser, "console-params", "{not json")
    browser.find_element(By.ID, "console-run").click()
    wait_for(browser, "#console-error", "not valid JSON")
    assert console_errors(browser) == []


def test_explain_shows_the_plan(browser, live_server, db) -> None:
    make_graph(db)
    open_console(browser, live_server)
    replace_text(browser, "console-query", "MATCH (a:Author) RETURN a.name")
    browser.find_element(By.ID, "console-explain").click()
    plan = wait_for(browser, "#console-plan", "ProduceResults")
    assert "NodeByLabelScan" in plan and "est." in plan
    assert "mode=explain" in browser.current_url
    assert console_errors(browser) == []


def test_csv_download(browser, live_server, db, tmp_path: Path) -> None:
    graph = make_graph(db)
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    open_console(browser, live_server)
    replace_text(browser, "console-query", "MATCH (a:Author) RETURN a.id AS id, a.name AS name ORDER BY id")
    browser.find_element(By.ID, "console-run").click()
    wait_for(browser, "#console-rowcount", f"{graph.number_of_nodes()} rows")
    browser.find_element(By.ID, "console-csv").click()
    target = tmp_path / "result.csv"
    deadline = time.monotonic() + 15
    while not target.exists():
        assert time.monotonic() < deadline, f"no download in {list(tmp_path.iterdir())}"
        time.sleep(0.2)
    rows = list(csv.reader(target.read_text(encoding="utf-8").splitlines()))
    assert rows == [["id", "name"]] + [[n, f"Author {n}"] for n in sorted(graph)]
    browser.save_screenshot(str(tmp_path / "console.png"))
    assert (tmp_path / "console.png").stat().st_size > 10_000
    assert console_errors(browser) == []
