"""The Add data page in a real browser: search OpenAlex (replayed), pick, start, watch the progress, refresh."""

from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from selenium.webdriver.common.by import By
from werkzeug import Request, Response

from accounts.web import EXTENSION
from graph.db import Graph, GraphConfig
from tests.accounts_data import PW
from tests.conftest import console_errors
from tests.harvest_replay import Replay, author_record, loadable, real_works
from tests.loader_helpers import rows
from tests.test_accounts_browser import _log_in
from tests.test_home_browser import wait_for_text

pytestmark = pytest.mark.browser


def test_a_replayed_harvest_runs_from_the_page_with_progress(browser, live_server, app, db: Graph,
                                                              neo4j_config: GraphConfig, httpserver: HTTPServer,
                                                              tmp_path: Path, monkeypatch) -> None:
    # Once any account exists only admins may harvest, and other tests of this process make accounts: sign in
    # as an admin of our own rather than depend on their order (or on a session cookie one of them left).
    store = app.extensions[EXTENSION].store
    address = f"harvest.admin.{secrets.token_hex(4)}@example.org"
    _, token = store.register(address, PW, "Harvest Admin")
    store.verify_email(token)
    store.set_role(address, "admin")
    _log_in(browser, live_server, address)
    author, body = author_record()
    works = real_works()[:120]
    replay = Replay(works, per_page=30, entities={f"/authors/{author}": body}, delay=0.6)

    def author_search(request: Request) -> Response | None:
        # CONSTRUCTED: an author search answering with the real lookup of A1969205032 (no search was recorded).
        if request.path == "/authors" and request.args.get("search"):
            page = {"meta": {"count": 1, "page": 1, "per_page": 8}, "results": [json.loads(body)]}
            return Response(json.dumps(page), 200, content_type="application/json")
        return None

    replay.on_request = author_search
    httpserver.expect_request(re.compile(r"^/.*")).respond_with_handler(replay)
    for key, value in {"PEERGRAPH_OPENALEX_URL": httpserver.url_for("").rstrip("/"),
                       "PEERGRAPH_DATA_DIR": str(tmp_path), "PEERGRAPH_HARVEST_BACKOFF": "0.01",
                       "NEO4J_URI": neo4j_config.uri, "NEO4J_USER": neo4j_config.user,
                       "NEO4J_PASSWORD": neo4j_config.password,
                       "NEO4J_DATABASE": neo4j_config.database or "neo4j"}.items():
        monkeypatch.setenv(key, value)
    name = json.loads(body)["display_name"]

    browser.get(live_server + "/add-data")
    wait_for_text(browser, "h1", "Add data")
    box = browser.find_element(By.CSS_SELECTOR, "#add-query")
    box.send_keys(name)
    browser.find_element(By.CSS_SELECTOR, "#add-search").click()
    wait_for_text(browser, "#add-pick", name)
    browser.find_element(By.CSS_SELECTOR, "#add-start").click()

    seen: set[tuple[str, str]] = set()
    deadline = time.monotonic() + 180
    status = ""
    while time.monotonic() < deadline:
        bar = browser.find_element(By.CSS_SELECTOR, "#add-progress")
        seen.add((bar.get_attribute("value") or "", bar.get_attribute("max") or ""))
        status = browser.find_element(By.CSS_SELECTOR, "#add-status").text
        if status.startswith(("Done", "Harvest stopped")):
            break
        time.sleep(0.1)
    assert status.startswith("Done"), status
    expected = loadable(works)
    assert f"{len(expected)} works added" in status
    partial = {(v, m) for v, m in seen if m == "120" and v not in ("", "0", "120")}
    assert partial, f"the bar moved through the harvest (saw {sorted(seen)})"
    papers = {r["id"] for r in rows(db, "MATCH (p:Paper) RETURN p.openalex_id AS id")}
    assert papers == expected
    wait_for_text(browser, "#add-scopes", name)
    assert "done" in browser.find_element(By.CSS_SELECTOR, "#add-scopes").text

    browser.find_element(By.CSS_SELECTOR, "#add-scopes button").click()  # Refresh
    # ": 0" so that the first run's "120 works added" does not match.
    wait_for_text(browser, "#add-status", ": 0 works added", timeout=120)
    assert f"{len(expected)} unchanged" in browser.find_element(By.CSS_SELECTOR, "#add-status").text
    assert console_errors(browser) == []
