"""Shared fixtures: one real Neo4j per test session, emptied between tests; the app; a browser.

No test mocks the database. The server is the project's own (graph/server.py)
on free ports in a temporary home, or the one ``PEERGRAPH_TEST_NEO4J_URI``
names (with ``PEERGRAPH_TEST_NEO4J_USER``/``_PASSWORD``; it is emptied!).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from accounts import passwords
from graph.db import Graph, GraphConfig, run_autocommit
from graph.schema import ensure_schema
from graph.server import USER, LocalServer, Settings
from tests import watchdog

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"


_DATA_DIR = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    """Settings for every process the tests start.

    A data folder of this process's own (rejects of the sample, Dash's job cache, harvest state), never the
    project's ``.data``: two pytest-xdist workers, or a test run beside ``make run``, must not share one.
    """
    folder = tempfile.mkdtemp(prefix="peergraph-test-data-")
    config.stash[_DATA_DIR] = folder
    os.environ["PEERGRAPH_DATA_DIR"] = folder
    # argon2's test profile (accounts/passwords.py): the real parameters cost ~0.2 s of CPU a hash, and the suite
    # signs up and logs in hundreds of times. tests/test_accounts_store.py checks the real ones apart.
    os.environ[passwords.FAST_FOR_TESTS] = "1"
    # Whatever this process starts (Neo4j, app.py, PostgreSQL, Chromium) is stopped when it dies: tests/watchdog.py.
    os.environ[watchdog.VARIABLE] = f"{os.getpid()}-{secrets.token_hex(8)}"
    _watchdogs.append(watchdog.start(os.environ[watchdog.VARIABLE]))
    # Every test server keeps its query plans (graph/server.py, Settings.replan_interval): the suite empties and
    # refills the graph test after test, and replanning after each change was a fifth of its CPU.
    os.environ.setdefault("PEERGRAPH_NEO4J_REPLAN_INTERVAL", "1h")
    if "PEERGRAPH_NEO4J_JVM_OPTIONS" not in os.environ and not hasattr(config, "workerinput"):
        # Workers inherit the controller's environment (they start after this hook): one archive for all.
        os.environ["PEERGRAPH_NEO4J_JVM_OPTIONS"] = " ".join(_test_jvm_options())


# Every Neo4j and neo4j-admin the tests start, app.py's in subprocesses too: C1 only. They live for minutes
# on small graphs, where the C2 compiler costs more CPU than it saves (a start: 10 s of CPU instead of 17).
TEST_JVM_OPTIONS = ("-XX:TieredStopAtLevel=1",)
_watchdogs: list[Any] = []  # kept referenced: the watchdog outlives this process on purpose


def _test_jvm_options() -> list[str]:
    """``TEST_JVM_OPTIONS`` and a class-data-sharing archive of Neo4j's classes, made once per machine.

    The suite starts Neo4j and neo4j-admin dozens of times; each spent about a third of its start's CPU
    loading and verifying the same ~10,000 classes from 200 jars. A dynamic CDS archive (JDK 13+) maps them
    ready-made: a restart 8.6 s -> 5.5 s of CPU. The archive is made by a throwaway server that starts, does
    what the tests' servers do (``_ARCHIVE_WORKLOAD``) and stops (about 45 s of CPU), and kept in the temporary
    folder, keyed by the Java, the jars and their folder, the flags and the workload; the JVM itself checks that
    it fits (and ignores it when it does not: ``-Xshare:auto``).
    """
    from graph.server import neo4j_version, provision

    options = list(TEST_JVM_OPTIONS)
    try:
        lib = provision(quiet=True)
        java = os.path.realpath(shutil.which("java") or "java")
        # The jars' folder too: the JVM maps an archive only for the class path it was made with, so a second
        # checkout on the machine (its own .cache) took the first one's archive and silently ran without it.
        key = hashlib.sha256(repr((java, os.stat(java).st_mtime_ns, neo4j_version(), str(lib.resolve()),
                                   (lib / ".complete").read_text(), options,
                                   _ARCHIVE_WORKLOAD)).encode()).hexdigest()[:16]
    except OSError:
        return options  # no Java or jars yet: the first start reports that better than we can here
    archive = Path(tempfile.gettempdir()) / f"peergraph-neo4j-{key}.jsa"
    if not archive.exists():
        partial = archive.with_name(f"{archive.stem}.{os.getpid()}.partial.jsa")
        home = Path(tempfile.mkdtemp(prefix="peergraph-cds-"))
        server = LocalServer(home, Settings(heap="512m", pagecache="64m",
                                            jvm_options=" ".join([*options, f"-XX:ArchiveClassesAtExit={partial}"])))
        try:
            info = server.start(bolt_port=None, http_port=None, quiet=True)
            try:
                _archive_workload(info.uri, server.password(), home)
            finally:
                server.stop()
            if partial.exists():
                partial.replace(archive)  # atomic: a run beside this one sees the whole archive or none
        except Exception:  # noqa: BLE001 - no archive then: the tests themselves say what is wrong, test by test
            pass
        finally:
            partial.unlink(missing_ok=True)
            shutil.rmtree(home, ignore_errors=True)
    if archive.exists():
        options.append(f"-XX:SharedArchiveFile={archive}")
    return options


# What the server that makes the class archive runs between its start and its stop (part of the archive's key).
# A start alone archived the classes of starting only: the Cypher front end, planner and runtime, the schema and
# transaction classes were still loaded and verified from the jars by every server at its first queries. With
# them, a start, ensure_schema, the Geiger seed's load and a stop took 15-16.6 s of CPU instead of 22 s.
_ARCHIVE_WORKLOAD = "ensure_schema, load_files(works, data/sample/geiger-works.jsonl), counts"


def _archive_workload(uri: str, password: str, home: Path) -> None:
    """``_ARCHIVE_WORKLOAD`` on the server at ``uri``."""
    from graph.stats import counts
    from loaders import load_files

    with Graph.connect(GraphConfig(uri=uri, user=USER, password=password, database="neo4j")) as graph:
        ensure_schema(graph)
        load_files(graph, "works", [ROOT / "data" / "sample" / "geiger-works.jsonl"], owner="Mario Geiger",
                   rejects=home / "rejects.jsonl", progress=False)
        counts(graph)


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_DATA_DIR, None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def shared_file(*parts: str) -> Path:
    """A file from ../shared/data, or skip-free failure: the suite needs the real data."""
    path = SHARED_DATA.joinpath(*parts)
    assert path.exists(), f"the tests read the real data in {SHARED_DATA}; {path} is missing"
    return path


@pytest.fixture(scope="session")
def local_neo4j(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer | None]:
    """The project's own server for this session, or None when ``PEERGRAPH_TEST_NEO4J_URI`` names one."""
    if os.environ.get("PEERGRAPH_TEST_NEO4J_URI"):
        yield None
        return
    server = LocalServer(tmp_path_factory.mktemp("neo4j"), Settings(heap="1g", pagecache="256m", tx_timeout="60s"))
    server.start(bolt_port=None, http_port=None, quiet=True)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_config(local_neo4j: LocalServer | None) -> GraphConfig:
    if local_neo4j is None:
        return GraphConfig(uri=os.environ["PEERGRAPH_TEST_NEO4J_URI"],
                           user=os.environ.get("PEERGRAPH_TEST_NEO4J_USER", "neo4j"),
                           password=os.environ.get("PEERGRAPH_TEST_NEO4J_PASSWORD", ""))
    info = local_neo4j.info()
    assert info, f"the test Neo4j (home {local_neo4j.home}) stopped"
    return GraphConfig(uri=info.uri, user=USER, password=local_neo4j.password(), database="neo4j")


@pytest.fixture(scope="session")
def session_db(neo4j_config: GraphConfig) -> Iterator[Graph]:
    with Graph.connect(neo4j_config) as graph:
        ensure_schema(graph)
        yield graph


@pytest.fixture
def db(session_db: Graph) -> Graph:
    """The shared Graph, emptied before the test (the schema stays)."""
    run_autocommit(session_db, "maintenance/delete_all")
    return session_db


# What the graph held right after the sample was loaded (counts per label and type), or None.
_sample_counts: list[Any] = [None]


@pytest.fixture(scope="module")
def sample_db(session_db: Graph) -> Graph:
    """The graph holding the bundled sample, for the module's tests; they must only read it.

    Loading it takes seconds, so it is loaded again only when the graph no longer holds it: any other
    fixture or test that writes changes the counts per label and relationship type, which are compared
    here (cheap: Neo4j keeps them in its count store). Modules that read the sample run first, together
    (pytest_collection_modifyitems below), so most of them find it loaded.
    """
    return _holding_sample(session_db)


@pytest.fixture
def sample_extended(session_db: Graph) -> Graph:
    """The graph holding the bundled sample, for a test that adds data of its own on top of it.

    Such a test runs after every reader of the sample and before the tests that empty the graph (see the
    order below), so it costs no load of its own; a reader after it would find the counts changed and reload.
    """
    return _holding_sample(session_db)


def _holding_sample(graph: Graph) -> Graph:
    from graph.stats import counts

    if _sample_counts[0] is None or counts(graph) != _sample_counts[0]:
        run_autocommit(graph, "maintenance/delete_all")
        _load_sample(graph)
    return graph


def _load_sample(graph: Graph, rejects_dir: Path | None = None) -> list[Any]:
    """``load_sample`` into an emptied ``graph``; remembers what it holds then, for ``sample_db``."""
    from graph.stats import counts
    from loaders.sample import load_sample

    _sample_counts[0] = None  # a load that fails half way leaves no sample behind
    summaries = load_sample(graph, progress=False, rejects_dir=rejects_dir)
    _sample_counts[0] = counts(graph)
    return summaries


@pytest.fixture
def sample_load(db: Graph) -> Callable[[Path], list[Any]]:
    """For a test about loading the bundled sample: ``sample_load(rejects_dir)`` loads it into the emptied
    graph and returns the summaries. The test runs first among the sample readers (see below), so its load
    is the one that serves them (one load fewer per run: about 30 s of Neo4j CPU).
    """
    return lambda rejects_dir: _load_sample(db, rejects_dir)


@pytest.fixture(scope="module")
def module_db(session_db: Graph) -> Graph:
    """The shared Graph, emptied once for a module fixture that loads data of its own into it.

    Use it (not ``session_db``) for that: the collection order below sees who writes by the fixtures named.
    """
    run_autocommit(session_db, "maintenance/delete_all")
    return session_db


# Modules that take longest (``--durations``: own servers, offline imports, subprocesses that start Neo4j), and
# "sample", the modules that read the sample. Under pytest-xdist they are handed out first, longest first, so
# that no worker is left with one of them at the end.
SLOW_MODULES = ("tests/test_bulk.py", "sample", "tests/test_stop.py", "tests/test_faults.py",
                "tests/test_real_files.py", "tests/test_loaders.py", "tests/test_interrupted_load.py",
                "tests/test_harvest.py", "tests/test_identity_graph.py")
# Modules that never use the session's Neo4j (servers of their own, or none) and mostly wait or run on their own
# (a Neo4j stopped, hung, starting or stopping; hypothesis): with 3 workers or more the last runs only these and
# stops, starting no session server, so their waiting costs no core while the other workers run everything else.
# With 2 workers a core idled through test_faults' ~50 s of waiting; a third worker that took any module cost
# ~80 s of CPU more (its own session server and its planning of every query).
SIDE_MODULES = ("tests/test_faults.py", "tests/test_stop.py", "tests/test_real_files.py",
                "tests/test_properties.py")
# The fixtures that hold the sample: a module that names one reads it (``sample_load``: it loads it for them).
SAMPLE_FIXTURES = ("sample_db", "sample_client", "sample_browser", "sample_load", "sample_extended")
# The fixtures that change the graph: a module whose tests name one writes (``sample_extended`` adds to it).
WRITER_FIXTURES = ("db", "module_db", "sample_extended")


def _module(nodeid: str) -> str:
    return nodeid.split("::")[0]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Modules whose tests read the sample first, then the rest: one sample load serves them.

    Among those modules, the ones that also empty the graph (a test naming ``db`` or ``module_db``) come last,
    their sample readers before all their writers, a test naming ``sample_extended`` (it adds to the sample)
    between the two, and a test naming ``sample_load`` (it loads the sample itself) comes first: a write
    before a reader costs a reload of the sample (about 30 s of Neo4j CPU).
    This order sees only declared fixtures: a module fixture that empties the graph names ``module_db`` (not
    ``session_db``), one that reads the sample names ``sample_db`` (not ``getfixturevalue``). Those modules'
    readers run together, then their writers, so a module fixture used by both kinds of test would be built
    twice (none is: keep it so).

    In a pytest-xdist worker the slow modules come first: the scheduler below hands modules out in this order.
    """
    def names(item: pytest.Item) -> tuple[str, ...]:
        return tuple(getattr(item, "fixturenames", ()))

    def writer(item: pytest.Item) -> bool:
        return any(name in names(item) for name in WRITER_FIXTURES)

    reads_sample = {_module(item.nodeid) for item in items
                    if {"sample_db", "sample_load", "sample_extended"} & set(names(item))}
    writes = {_module(item.nodeid) for item in items if writer(item)}
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        first.setdefault(_module(item.nodeid), index)

    def group(item: pytest.Item) -> str:
        return "sample" if _module(item.nodeid) in reads_sample else _module(item.nodeid)

    def order(item: pytest.Item) -> tuple[bool, bool, int, int]:
        module = _module(item.nodeid)
        if module not in reads_sample:
            return (True, False, 0, 0)  # stable sort: every other module keeps its place and order
        if "sample_load" in names(item):
            return (False, False, 0, -1)  # the load that serves the readers after it
        if "sample_extended" in names(item):
            return (False, True, 1, first[module])  # adds to the sample: after its readers, before the emptying
        return (False, module in writes, 2 if module in writes and "sample_db" not in names(item) else 0,
                first[module])

    items.sort(key=order)
    if hasattr(config, "workerinput"):
        slow = {name: rank for rank, name in enumerate(SLOW_MODULES)}
        items.sort(key=lambda item: slow.get(group(item), len(slow)))


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``-n N --dist loadfile`` (``make test``): a module goes whole to one worker (its module fixtures, own
    servers among them, are built once), and the modules that read the sample go together to one worker, where
    one load serves them all. Modules are handed out in the workers' collection order (slow ones first).

    pytest-xdist's own ``loadgroup`` cannot do this under pytest 9 (it renames the tests' ``_nodeid``, which
    pytest 9 no longer reads); the controller sees test ids only, so a module that names a sample fixture in
    its text reads the sample (a wrong guess costs one more load, never a wrong result: ``sample_db`` checks).
    """
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    reads: dict[str, bool] = {}

    def reads_sample(module: str) -> bool:
        if module not in reads:
            path = config.rootpath / module
            text = path.read_text(encoding="utf-8") if path.is_file() else ""
            reads[module] = any(name in text for name in SAMPLE_FIXTURES)
        return reads[module]

    class ModulesAndSample(LoadScopeScheduling):
        side: str | None = None  # the worker kept for SIDE_MODULES ("" for none), decided at the first hand-out

        def _split_scope(self, nodeid: str) -> str:
            module = _module(nodeid)
            return "sample" if reads_sample(module) else module

        def _assign_work_unit(self, node: Any) -> None:
            """SIDE_MODULES to the last worker and nothing else (it stops after them), the rest to the others."""
            if self.side is None:
                last = max((n.gateway.id for n in self.nodes), key=lambda gw: int(gw.removeprefix("gw")))
                wanted = len(self.nodes) >= 3 and any(scope in SIDE_MODULES for scope in self.workqueue)
                self.side = last if wanted else ""
            if not self.side:
                return super()._assign_work_unit(node)
            is_side = node.gateway.id == self.side
            fits = [scope for scope in self.workqueue if (scope in SIDE_MODULES) == is_side]
            if not fits:
                if is_side:
                    node.shutdown()  # its side modules are done (or taken): the other workers do the rest
                    return None
                fits = list(self.workqueue)  # only side modules are left (their worker is busy, or died): take one
            self.workqueue.move_to_end(fits[0], last=False)
            return super()._assign_work_unit(node)

    config.option.loadscopereorder = False  # keep the slow-first order, not the most-tests-first one
    return ModulesAndSample(config, log)


@pytest.fixture
def sample_client(app, sample_db):
    """A test client over the sample graph (read-only tests)."""
    return app.test_client()


@pytest.fixture(scope="session")
def app(session_db: Graph, tmp_path_factory: pytest.TempPathFactory):
    """One app per session: Dash binds its page callbacks to the first app of a process."""
    from app import create_app

    # DATA_DIR: the account store, the outbox and the secret key go to a temporary folder, not .data.
    flask_app = create_app({"GRAPH": session_db, "TESTING": True, "DATA_DIR": str(tmp_path_factory.mktemp("data"))})
    return flask_app


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    """The app served over HTTP on a free port, for the browser tests."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def browser_session():
    """Headless Debian Chromium through Selenium (no browser download)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("PEERGRAPH_CHROMIUM", "/usr/bin/chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1400,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(os.environ.get("PEERGRAPH_CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def blank_browser(browser) -> Iterator[Any]:
    """The browser on an empty page, with no cookies and its console log emptied, left on an empty page afterwards.

    A page left open by the test before keeps calling its server, which may be gone by now (test_faults stops its
    stack after the test): its failed callbacks would land in the next test's console log. Cookies go for every
    host and port (``delete_all_cookies`` only clears the page's own, and there is none on about:blank).
    """
    browser.get("about:blank")
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    browser.get_log("browser")
    try:
        yield browser
    finally:
        browser.get("about:blank")


@pytest.fixture
def browser(browser_session, db):
    """The browser, with its console log emptied; tests assert no console errors at the end."""
    yield from blank_browser(browser_session)


@pytest.fixture
def sample_browser(browser_session, sample_db):
    """The browser over the sample graph (tests that only read it), with its console log emptied."""
    yield from blank_browser(browser_session)


def console_errors(browser) -> list[str]:
    """Severe browser console entries since the last call (favicon misses excepted)."""
    return [e["message"] for e in browser.get_log("browser")
            if e["level"] == "SEVERE" and "favicon" not in e["message"]]


# -- waiting in browser tests ---------------------------------------------------------------------------------------
T = TypeVar("T")


def wait_until(predicate: Callable[[], T], timeout: float = 20.0, what: str = "condition") -> T:
    """The first true value of ``predicate()``, polled every 0.2 s; AssertionError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.2)


def wait_for_text(browser: Any, selector: str, text: str = "", timeout: float = 20.0) -> str:
    """The text of every element matching ``selector`` once it holds ``text`` (and is not empty)."""
    seen = [""]

    def shown() -> str | None:
        # One script call reads every match at once: Dash may replace the elements between two calls.
        seen[0] = browser.execute_script(
            "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.innerText).join(' ');", selector)
        return seen[0] if seen[0] and text in seen[0] else None

    try:
        return wait_until(shown, timeout, f"{text!r} in {selector}")
    except AssertionError:
        raise AssertionError(f"{text!r} did not appear in {selector}; saw {seen[0]!r}") from None
# The account store's fixtures (SQLite and PostgreSQL): issue 12.
from tests.accounts_fixtures import acct, postgres_url, sqlite_store, store  # noqa: E402,F401
