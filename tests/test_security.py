"""Security: where the app listens, debug mode, the headers and CSP the pages run under, the console's
rate limit, secrets kept out of logs, answers and pages, the password file, and gunicorn serving it all."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import os
import re
import runpy
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import jsonschema_rs
import pytest
from flask import Flask
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import app as app_module
from graph.db import Graph, GraphConfig
from graph.ext import EXTENSION
from graph.server import LocalServer, Settings, free_port, provision
from tests.conftest import console_errors, wait_for_text
from views import limits

ROOT = Path(__file__).resolve().parent.parent
# A password the tests know, so that they can look for it everywhere it must not be.
KNOWN_PASSWORD = "Kn0wn-Secret-pw-7f3a9c"


# -- where it listens, and debug mode -------------------------------------------------------------------------
def test_the_development_server_binds_loopback_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PEERGRAPH_HOST", raising=False)
    assert app_module.build_parser().parse_args(["run"]).host == "127.0.0.1"
    monkeypatch.setenv("PEERGRAPH_HOST", "0.0.0.0")
    assert app_module.build_parser().parse_args(["run"]).host == "0.0.0.0"


def test_gunicorn_binds_loopback_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PEERGRAPH_HOST", "PEERGRAPH_PORT"):
        monkeypatch.delenv(name, raising=False)
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert conf["bind"] == ["127.0.0.1:8050"]
    assert conf["preload_app"] is False and conf["wsgi_app"] == "app:create_app()"
    monkeypatch.setenv("PEERGRAPH_HOST", "0.0.0.0")
    monkeypatch.setenv("PEERGRAPH_PORT", "9000")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["bind"] == ["0.0.0.0:9000"]


def test_debug_mode_is_off_and_refused_on_a_public_address(app, capsys: pytest.CaptureFixture[str]) -> None:
    assert app.debug is False
    assert not app.extensions["peergraph.dash"]._dev_tools.ui
    # Refused before anything starts: no Neo4j, no server.
    assert app_module.main(["run", "--host", "0.0.0.0", "--debug"]) == 2
    assert "refusing to bind 0.0.0.0" in capsys.readouterr().err
    assert [app_module.is_loopback(h) for h in ("127.0.0.1", "127.8.0.1", "::1", "localhost", "0.0.0.0",
                                                "10.1.2.3", "example.org")] == [True] * 4 + [False] * 3


def test_flask_debug_in_the_environment_does_not_turn_debug_on() -> None:
    """FLASK_DEBUG=1 left in a shell must not reach gunicorn's app (in its own process: one Dash app each)."""
    script = ("from app import create_app; from graph.db import Graph, GraphConfig; "
              "app = create_app({'GRAPH': Graph.connect(GraphConfig(uri='bolt://127.0.0.1:9'))}); "
              "print(app.debug, app.extensions['peergraph.dash']._dev_tools.ui)")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "FLASK_DEBUG": "1", "DASH_DEBUG": "true"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]


# -- headers and the Content-Security-Policy -------------------------------------------------------------------
def _inline_scripts(html: str) -> list[str]:
    """The bodies of the page's executable inline scripts (no src, not a JSON data block, not commented out).

    Dash's Internet Explorer warning sits in an ``<!--[if IE]>`` comment: no other browser runs it.
    """
    scripts = []
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        if "src=" in attrs or "application/json" in attrs:
            continue
        scripts.append(body)
    return scripts


def _directives(csp: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in csp.split(";")) if part}


def test_every_response_has_the_security_headers(client) -> None:
    for path in ("/", "/api/health", "/api/no-such-thing", "/_dash-layout", "/assets/style.css"):
        with client.get(path) as response:  # a static file is streamed: close it
            assert response.headers["X-Content-Type-Options"] == "nosniff", path
            assert response.headers["X-Frame-Options"] == "DENY", path
            assert response.headers["Referrer-Policy"] == "same-origin", path
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path
    api = _directives(client.get("/api/health").headers["Content-Security-Policy"])
    assert api["default-src"] == ["'none'"]


def test_the_page_policy_allows_exactly_the_inline_scripts_of_the_page(client) -> None:
    response = client.get("/")
    html = response.get_data(as_text=True)
    policy = _directives(response.headers["Content-Security-Policy"])
    scripts = _inline_scripts(html)
    assert scripts, "Dash renders its bootstrap inline"
    hashes = {f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts}
    assert hashes <= set(policy["script-src"])
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    # Every script file the page loads comes from this origin.
    assert all(src.startswith("/") for src in re.findall(r'<script[^>]*src="([^"]+)"', html))


def _wait_drawn(browser, element_id: str, timeout: float = 25.0) -> int:
    """The number of elements Cytoscape drew in ``element_id`` (it waits until there are some)."""
    probe = """const el = document.getElementById(arguments[0]); const cy = el && el._cyreg && el._cyreg.cy;
               return cy ? cy.elements().length : -1;"""
    deadline = time.monotonic() + timeout
    while (count := browser.execute_script(probe, element_id)) <= 0:
        assert time.monotonic() < deadline, f"nothing drawn in #{element_id}"
        time.sleep(0.2)
    return count


@pytest.mark.browser
def test_the_pages_work_under_the_policy_with_no_violation(browser_session, sample_db, live_server) -> None:
    """Home, profile (with its Plotly chart), explorer and paths (Cytoscape), console (a clientside callback)."""
    browser = browser_session
    # Violations are also console errors, but an event listener installed before any page script sees all.
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation',
            e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"""})
    browser.get("about:blank")  # off any page an earlier test left calling a server that is gone
    browser.get_log("browser")
    me = "name:geiger_m"
    other = sample_db.driver.execute_query(
        "MATCH (:Author {id: $id})-[c:COAUTHOR]-(b:Author) RETURN b.id AS id ORDER BY c.works DESC, b.id LIMIT 1",
        id=me, database_=sample_db.database).records[0]["id"]
    violations: dict[str, list[str]] = {}

    def visit(path: str) -> None:
        browser.get(live_server + path)

    def check(path: str) -> None:
        violations[path] = browser.execute_script("return window.__cspViolations;")

    visit("/")
    wait_for_text(browser, "#home-counts", "Authors")
    check("/")
    visit(f"/author/{quote(me)}")
    wait_for_text(browser, "#author-name", "Mario Geiger")
    deadline = time.monotonic() + 25
    while not browser.find_elements(By.CSS_SELECTOR, "#author-per-year .main-svg"):
        assert time.monotonic() < deadline, "the works-per-year chart was not drawn"
        time.sleep(0.2)
    check("/author")
    visit(f"/explore?centre={quote(me)}")
    assert _wait_drawn(browser, "explore-graph") > 10
    check("/explore")
    visit(f"/paths?from={quote(me)}&to={quote(other)}")
    wait_for_text(browser, "#paths-answer", "")
    assert _wait_drawn(browser, "paths-graph") >= 3
    check("/paths")
    visit("/cypher")
    wait_for_text(browser, ".cq-library", "Saved queries")
    box = browser.find_element(By.ID, "console-query")
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    box.send_keys("MATCH (a:Author {id: 'name:geiger_m'}) RETURN a.name AS name")
    browser.find_element(By.ID, "console-run").click()
    wait_for_text(browser, "#console-rowcount", "1 row")
    check("/cypher")
    assert all(not v for v in violations.values()), violations
    errors = console_errors(browser)
    assert not [e for e in errors if "Content Security Policy" in e], errors
    assert not errors, errors


# -- the console's rate limit ----------------------------------------------------------------------------------
@contextlib.contextmanager
def rate_limit(app, setting: str) -> Iterator[None]:
    before = app.config["CYPHER_RATE_LIMIT"]
    app.config["CYPHER_RATE_LIMIT"] = setting
    app.extensions[limits.EXTENSION].reset()
    try:
        yield
    finally:
        app.config["CYPHER_RATE_LIMIT"] = before
        app.extensions[limits.EXTENSION].reset()


def test_console_queries_are_limited_per_client_address(app, client) -> None:
    query = {"query": "RETURN 1 AS one"}
    with rate_limit(app, "3/minute"):
        answers = [client.post("/api/cypher", json=query) for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        refused = answers[-1]
        body = refused.get_json()
        assert set(body) == {"error"} and body["error"]["code"] == "rate_limited"
        assert "3 per minute" in body["error"]["message"]
        # A moving window: the next request is allowed when the first of the three leaves it, a minute later.
        assert 50 <= int(refused.headers["Retry-After"]) <= 60
        assert refused.headers["X-Content-Type-Options"] == "nosniff"
        # Another address has its own allowance; other endpoints are not limited.
        other = client.post("/api/cypher", json=query, environ_base={"REMOTE_ADDR": "10.0.0.2"})
        assert other.status_code == 200
        assert client.get("/api/health").status_code == 200
        assert client.get("/api/cypher/saved").status_code == 200
    with rate_limit(app, "off"):
        assert all(client.post("/api/cypher", json=query).status_code == 200 for _ in range(5))


def test_a_rate_limited_answer_is_the_documented_429(app, client) -> None:
    """The 429 is in the served OpenAPI document, with its Retry-After, and the answer matches it."""
    doc = client.get("/api/openapi.json").get_json()
    documented = doc["paths"]["/api/cypher"]["post"]["responses"]["429"]
    header = documented["headers"]["Retry-After"]
    assert header["required"] is True
    body_schema = {**documented["content"]["application/json"]["schema"], "components": doc["components"]}
    with rate_limit(app, "1/minute"):
        assert client.post("/api/cypher", json={"query": "RETURN 1"}).status_code == 200
        refused = client.post("/api/cypher", json={"query": "RETURN 1"})
    assert refused.status_code == 429
    assert refused.mimetype == "application/json"
    assert refused.headers["Retry-After"].isdigit()
    assert jsonschema_rs.validator_for(header["schema"]).is_valid(int(refused.headers["Retry-After"]))
    jsonschema_rs.validator_for(body_schema).validate(refused.get_json())
    assert refused.get_json()["error"]["code"] == "rate_limited"
    # The console, the account routes that guess or mail (login, sign-up, reset) and sending an invitation
    # (5 a day, 20 a week) are limited: only they document a 429.
    limited = {f"{method.upper()} {path}" for path, item in doc["paths"].items()
               for method, op in item.items() if "429" in op["responses"]}
    assert limited == {"POST /api/cypher", "POST /api/account/login", "POST /api/account/register",
                       "POST /api/account/password-reset", "POST /api/invitations"}


@pytest.mark.browser
def test_the_console_page_counts_against_the_same_allowance(app, client, browser, live_server) -> None:
    """The page's Run is a console query too: it shares the address's allowance and says when it is spent."""
    with rate_limit(app, "2/minute"):
        browser.get(live_server + "/cypher")
        wait_for_text(browser, ".cq-library", "Saved queries")
        box = browser.find_element(By.ID, "console-query")
        box.click()
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(Keys.DELETE)
        box.send_keys("RETURN 42 AS answer")
        browser.find_element(By.ID, "console-run").click()
        wait_for_text(browser, "#console-rowcount", "1 row")
        assert client.post("/api/cypher", json={"query": "RETURN 1"}).status_code == 200  # the same address
        browser.find_element(By.ID, "console-run").click()
        shown = wait_for_text(browser, "#console-status", "too many console queries")
        assert "at most 2 per minute" in shown
        assert client.post("/api/cypher", json={"query": "RETURN 1"}).status_code == 429
    assert not console_errors(browser)


def test_the_window_counts_each_client_and_each_kind_apart() -> None:
    limiter = limits.RateLimiter()
    assert [limiter.take("queries", "a", "2/second") for _ in range(2)] == [None, None]
    refused = limiter.take("queries", "a", "2/second")
    assert refused is not None and refused.retry_after == 1
    assert refused.message == "too many queries from a: at most 2 per second; try again in 1 s"
    assert limiter.take("queries", "b", "2/second") is None
    assert limiter.take("logins", "a", "2/second") is None
    assert all(limiter.take("queries", "a", "off") is None for _ in range(5))
    time.sleep(1.05)  # the window moves on: the first two requests leave it
    assert limiter.take("queries", "a", "2/second") is None


def test_an_unusable_store_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="bogus://x"):
        limits.RateLimiter("bogus://x")
    bare = Flask("bare")
    bare.config["RATELIMIT_STORAGE_URL"] = "nowhere://"
    with pytest.raises(ValueError, match="cannot be used"):
        app_module.init_security(bare)


def test_rate_settings_are_read_or_refused() -> None:
    assert limits.parse_rate("60/minute") == (60, 60.0)
    assert limits.parse_rate("5/second") == (5, 1.0)
    assert limits.parse_rate("100/hours") == (100, 3600.0)
    assert limits.parse_rate("10/30") == (10, 30.0)
    assert limits.parse_rate("25") == (25, 60.0)
    assert [limits.parse_rate(t) for t in ("off", "0", "", None)] == [None] * 4
    for bad in ("many/minute", "10/fortnight", "10/-5", "10/2.5"):
        with pytest.raises(ValueError):
            limits.parse_rate(bad)


# -- secrets ---------------------------------------------------------------------------------------------------
@contextlib.contextmanager
def graph_swapped(app, graph: Graph) -> Iterator[None]:
    """The app's requests use ``graph`` for a while (the session's Graph comes back afterwards)."""
    before = app.extensions[EXTENSION]
    app.extensions[EXTENSION] = graph
    try:
        yield
    finally:
        app.extensions[EXTENSION] = before
        graph.close()


def _secrets(neo4j_config: GraphConfig) -> list[str]:
    return [s for s in (KNOWN_PASSWORD, neo4j_config.password) if s]


def _assert_nowhere(texts: list[str], secrets: list[str]) -> None:
    for secret in secrets:
        for text in texts:
            assert secret not in text, f"a password leaked: ...{text[max(0, text.find(secret) - 80):][:200]}"


@pytest.mark.browser
def test_no_password_in_answers_logs_or_pages(app, client, browser_session, live_server, neo4j_config,
                                              caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # everything, the driver's own debug log included
    caplog.set_level(logging.DEBUG, logger="neo4j")
    host = neo4j_config.uri.split("://", 1)[1]
    wrong_user = GraphConfig(uri=neo4j_config.uri, user="intruder", password=KNOWN_PASSWORD)
    nobody = GraphConfig(uri=f"bolt://127.0.0.1:{free_port()}", user="neo4j", password=KNOWN_PASSWORD,
                         connection_timeout=1)
    texts: list[str] = []
    requests = [("get", "/api/health", None), ("get", "/api/stats", None),
                ("get", "/api/authors/name%3Ageiger_m", None), ("get", "/api/search?q=geiger", None),
                ("post", "/api/cypher", {"query": "RETURN 1"})]
    for config, status in ((wrong_user, 503), (nobody, 503)):
        with graph_swapped(app, Graph.connect(config)):
            for method, path, body in requests:
                answer = getattr(client, method)(path, json=body) if body else getattr(client, method)(path)
                assert answer.status_code == status, (config.uri, path, answer.get_data(as_text=True))
                assert answer.get_json()["error"]["code"] == "graph_unavailable"
                texts.append(answer.get_data(as_text=True))
            # The page says so, in the browser, without the password.
            browser_session.get(live_server + "/")
            shown = wait_for_text(browser_session, "#home-counts", "Neo4j")
            texts += [shown, browser_session.page_source]
    assert any("refused the credentials" in t for t in texts) and any("not reachable" in t for t in texts)
    # A bad query and a refused one, on the real graph.
    for query in ("MATCH (n RETURN n", "CREATE (:X)", "CALL dbms.security.listUsers()"):
        answer = client.post("/api/cypher", json={"query": query, "params": {"x": 1}})
        assert answer.status_code == 400, answer.get_data(as_text=True)
        texts.append(answer.get_data(as_text=True))
    # Credentials inside the URI are refused without repeating them.
    with pytest.raises(ValueError) as refused:
        app_module.create_app({"NEO4J_URI": f"bolt://neo4j:{KNOWN_PASSWORD}@{host}"})
    texts.append(str(refused.value))
    texts.append(caplog.text)
    texts += [r.getMessage() for r in caplog.records]
    assert any("HELLO" in r.getMessage() or "LOGON" in r.getMessage() for r in caplog.records), \
        "the driver's debug log (where credentials could appear) was captured"
    _assert_nowhere(texts, _secrets(neo4j_config))


def test_the_password_file_is_private_whatever_the_umask(tmp_path: Path) -> None:
    """Written 0600 even under umask 0, and even over an older, readable file."""
    server = LocalServer(tmp_path / "home", Settings(heap="256m", pagecache="16m"))
    server.home.mkdir()
    server.password_file.write_text("old\n")
    os.chmod(server.password_file, 0o644)
    conf = server._write_config(free_port(), free_port())
    old_umask = os.umask(0)
    try:
        server._set_initial_password(provision(quiet=True), conf)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(server.password_file.stat().st_mode) == 0o600
    assert len(server.password()) >= 32 and server.password() != "old"


# -- gunicorn, as the README says to run it ----------------------------------------------------------------------
def test_gunicorn_serves_the_app_with_several_workers(db, neo4j_config) -> None:
    import http.client

    port = free_port()
    env = {**os.environ, "NEO4J_URI": neo4j_config.uri, "NEO4J_USER": neo4j_config.user,
           "NEO4J_PASSWORD": neo4j_config.password, "NEO4J_DATABASE": neo4j_config.database or "",
           "PEERGRAPH_PORT": str(port), "PEERGRAPH_WORKERS": "2", "PEERGRAPH_THREADS": "2"}
    env.pop("PEERGRAPH_HOST", None)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def get(path: str) -> tuple[int, str, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.getheader("Content-Security-Policy") or "", response.read()
        finally:
            conn.close()

    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            try:
                status, _, body = get("/api/health")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                time.sleep(0.3)
        assert status == 200 and b'"ok"' in body
        answers = [(path, *get(path)[:2]) for path in ["/", "/api/stats"] * 4]
        assert all(status == 200 for _, status, _ in answers), answers
        assert all("sha256-" in csp for path, _, csp in answers if path == "/")
        assert all("default-src 'none'" in csp for path, _, csp in answers if path == "/api/stats")
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)
    assert f"Listening at: http://127.0.0.1:{port}" in output
    booted = set(re.findall(r"Booting worker with pid: (\d+)", output))
    master = re.search(r"Listening at: \S+ \((\d+)\)", output)
    assert len(booted) == 2 and master and master.group(1) not in booted
    # Each worker built its own driver (after the fork: the master built none), its pool sized for 2 threads.
    drivers = dict(re.findall(r"process (\d+): a driver for Neo4j at \S+ \(user \w+\), connection pool (\d+)",
                              output))
    assert set(drivers) == booted and set(drivers.values()) == {"4"}, output
    _assert_nowhere([output], _secrets(neo4j_config))
