"""The analyst's own tools on the local server: Neo4j Browser at /browser/ and cypher-shell.

Real processes against the session's real Neo4j: the Browser is fetched over HTTP and driven in
headless Chromium; cypher-shell runs as ``python -m graph.server shell`` would run it for a user.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from graph import server as srv
from graph.db import Graph
from graph.server import LocalServer, ServerError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def local(local_neo4j: LocalServer | None) -> LocalServer:
    if local_neo4j is None:
        pytest.fail("these tests need the project's own server (PEERGRAPH_TEST_NEO4J_URI names another)")
    return local_neo4j


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - a loopback URL we built
        return response.status, response.read().decode()


def test_browser_answers_on_the_local_server(local: LocalServer) -> None:
    url = local.browser_url()
    assert url and url.endswith("/browser/")
    status, html = _get(url)
    assert status == 200
    assert "<title>Neo4j Browser</title>" in html
    # The Browser fills its connect form from the discovery document: it must name our Bolt port.
    info = local.info()
    assert info
    _, discovery = _get(f"http://127.0.0.1:{info.http_port}/")
    assert json.loads(discovery)["bolt_direct"] == info.uri


def test_browser_connects_with_the_password_file(local: LocalServer, browser_session) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser_session.get(local.browser_url())
    wait = WebDriverWait(browser_session, 60)
    password = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "input[data-testid=password]")))
    info = local.info()
    assert info
    address = browser_session.find_element(By.CSS_SELECTOR, "input[data-testid=boltaddress]")
    assert address.get_attribute("value") == f"127.0.0.1:{info.bolt_port}"
    browser_session.find_element(By.CSS_SELECTOR, "input[data-testid=username]").send_keys(srv.USER)
    password.send_keys(local.password())
    next(b for b in browser_session.find_elements(By.TAG_NAME, "button") if b.text.strip() == "Connect").click()
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "body"), "You are connected as user neo4j"))


def _shell(local: LocalServer, *args: str, **kwargs) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    return subprocess.Popen([sys.executable, "-m", "graph.server", "--home", str(local.home), "shell", *args],
                            cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            **kwargs)


def test_shell_runs_a_file_of_cypher(db: Graph, local: LocalServer, tmp_path: Path) -> None:
    names = ["Ada", "Grace", "Edsger"]
    script = tmp_path / "count.cypher"
    script.write_text("UNWIND $names AS n CREATE (:ShellProbe {name: n});\n"
                      "MATCH (p:ShellProbe) RETURN count(p) AS probes;\n")
    proc = _shell(local, "-f", str(script), "--format", "plain", "--param", f"names => {json.dumps(names)}")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert out.split() == ["probes", str(len(names))]


def test_shell_keeps_the_password_out_of_the_process_list(db: Graph, local: LocalServer) -> None:
    proc = _shell(local, "--format", "plain", stdin=subprocess.PIPE)
    try:
        # The Python process becomes cypher-shell (exec): wait until it has, then read its argv.
        deadline = time.monotonic() + 60
        while b"org.neo4j.shell.Main" not in Path(f"/proc/{proc.pid}/cmdline").read_bytes():
            assert time.monotonic() < deadline, "cypher-shell did not start"
            time.sleep(0.05)
        argv = Path(f"/proc/{proc.pid}/cmdline").read_bytes().decode().split("\0")
        assert local.password() not in " ".join(argv)
        assert f"bolt://127.0.0.1:{local.info().bolt_port}" in argv
        out, err = proc.communicate("RETURN 6 * 7 AS answer;\n", timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert out.split() == ["answer", "42"]


def test_shell_with_a_missing_file_says_so(local: LocalServer, tmp_path: Path) -> None:
    proc = _shell(local, "-f", str(tmp_path / "absent.cypher"))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert f"no Cypher file at {tmp_path / 'absent.cypher'}" in err


def test_shell_without_a_server_says_how_to_start_one(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "graph.server", "--home", str(tmp_path), "shell"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")})
    assert proc.returncode == 1
    assert "no local Neo4j is running" in proc.stderr and "python -m graph.server start" in proc.stderr


POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>peergraph</groupId><artifactId>probe</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>{deps}</dependencies>
</project>
"""
# Already in the local Maven repository (cypher-shell needs it): no download in the test.
JAR = ("<dependency><groupId>org.neo4j</groupId><artifactId>neo4j-gql-status</artifactId>"
       "<version>5.26.0</version></dependency>")


def test_a_changed_pom_refreshes_an_existing_cache(tmp_path: Path) -> None:
    srv.provision_shell(quiet=True)  # makes sure the probe's jar is in ~/.m2
    pom = tmp_path / "probe-pom.xml"
    lib = tmp_path / "cache" / "probe" / "lib"
    pom.write_text(POM.format(deps=""))
    assert srv._copy_dependencies(pom, lib, "probe", quiet=True) == lib
    assert sorted(p.name for p in lib.iterdir()) == [".complete"]
    marker = (lib / ".complete").stat().st_mtime_ns
    srv._copy_dependencies(pom, lib, "probe", quiet=True)
    assert (lib / ".complete").stat().st_mtime_ns == marker, "an unchanged pom must not run Maven again"

    pom.write_text(POM.format(deps=JAR))  # as graph/neo4j-pom.xml gained Neo4j Browser
    srv._copy_dependencies(pom, lib, "probe", quiet=True)
    assert (lib / "neo4j-gql-status-5.26.0.jar").is_file()
    assert not lib.with_name("lib.partial").exists() and not lib.with_name("lib.old").exists()


def test_a_cache_made_before_the_marker_held_a_digest_is_refreshed(tmp_path: Path) -> None:
    pom = tmp_path / "probe-pom.xml"
    pom.write_text(POM.format(deps=JAR))
    lib = tmp_path / "cache" / "probe" / "lib"
    lib.mkdir(parents=True)
    (lib / ".complete").touch()  # what provision() used to leave: an empty marker
    srv._copy_dependencies(pom, lib, "probe", quiet=True)
    assert (lib / "neo4j-gql-status-5.26.0.jar").is_file()


def test_the_server_pom_carries_neo4j_browser() -> None:
    lib = srv.provision(quiet=True)
    assert list(lib.glob("neo4j-browser-*.jar")), f"no Neo4j Browser jar in {lib}"
    assert not list(lib.glob("cypher-shell-*.jar")), "cypher-shell must stay off the server's classpath"


def test_missing_maven_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pom = tmp_path / "probe-pom.xml"
    pom.write_text(POM.format(deps=""))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ServerError, match=r"Maven \(mvn\) is needed once to fetch probe"):
        srv._copy_dependencies(pom, tmp_path / "lib", "probe", quiet=True)
