"""Harvest from live sources, replayed: recorded real responses served from a local server, no network.

What is recorded and what is constructed is said at each test (and in tests/harvest_replay.py):
no real recording of a 429, a 301 for a merged id, a 500 or a cut page exists, so those are built
from real header sets and real pages.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from graph.db import Graph, GraphConfig
from loaders import load_files
from loaders.harvest.cli import build_job, parser
from loaders.harvest.http import BudgetSpent, Fetcher, HarvestError
from loaders.harvest.jobs import JobStore
from loaders.harvest.openalex import OpenAlex, calls_for
from loaders.harvest.run import Clients, run_job
from loaders.harvest.settings import Settings
from tests.harvest_replay import (
    Replay,
    author_record,
    budget_spent_429,
    cassette,
    loadable,
    rate_limited_429,
    real_works,
    server_error,
    truncated,
    uri_of,
)
from tests.loader_helpers import checksum, count, rows

ROOT = Path(__file__).resolve().parent.parent
# Only the local replay server and the local Neo4j may be reached.
pytestmark = pytest.mark.allow_hosts(["127.0.0.1", "::1"])
# The replayed scope of the graph tests: the first SCOPE real works in pages of PER_PAGE (four pages). Each
# page is one load, whose cost is mostly fixed (schema check, derived data, metrics: about 1.6 s of Neo4j CPU
# per page here, and some 0.025 s per work), so the tests keep their pages and halve the works (160 in
# pages of 40 before): resume and budget are about pages. The first 80 hold 2 works without authorships.
SCOPE = 80
PER_PAGE = 20


@pytest.fixture(scope="module")
def works() -> list[dict]:
    return real_works()


@pytest.fixture
def replay(httpserver: HTTPServer, works: list[dict]) -> Replay:
    """CONSTRUCTED routing over real bodies: A1969205032's real lookup, the first SCOPE of the real works in
    pages of PER_PAGE (a few pages keep the graph tests quick on a shared machine)."""
    author, body = author_record()
    handler = Replay(works[:SCOPE], per_page=PER_PAGE, entities={f"/authors/{author}": body})
    httpserver.expect_request(re.compile(r"^/.*")).respond_with_handler(handler)
    return handler


def settings_for(httpserver: HTTPServer, data: Path) -> Settings:
    base = httpserver.url_for("").rstrip("/")
    return Settings(openalex_url=base, arxiv_oai_url=f"{base}/oai", arxiv_api_url=f"{base}/api/query",
                    orcid_url=f"{base}/orcid", harvest_dir=data / "harvest", max_wait=30.0, arxiv_interval=0.0)


def quick(settings: Settings) -> Clients:
    """Clients whose backoff is short (Retry-After is still honoured in full)."""
    clients = Clients(settings)
    clients._made["openalex"] = OpenAlex(settings, Fetcher("OpenAlex", max_wait=settings.max_wait, backoff=0.01))
    return clients


def harvest(db: Graph, settings: Settings, argv: list[str]):
    clients = quick(settings)
    job = build_job(parser().parse_args(argv), clients)
    store = JobStore(settings.harvest_dir)
    return run_job(db, job, store, clients), job, store


def cli_env(neo4j_config: GraphConfig, httpserver: HTTPServer, data: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "PEERGRAPH_", "OPENALEX_"))}
    return base | {
        "NEO4J_URI": neo4j_config.uri, "NEO4J_USER": neo4j_config.user, "NEO4J_PASSWORD": neo4j_config.password,
        "NEO4J_DATABASE": neo4j_config.database or "neo4j", "PEERGRAPH_DATA_DIR": str(data),
        "PEERGRAPH_OPENALEX_URL": httpserver.url_for("").rstrip("/"), "PEERGRAPH_HARVEST_BACKOFF": "0.01",
        # Anything not local would go through a proxy that does not exist: the run cannot reach the internet.
        "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": "127.0.0.1,localhost",
    }


def cli(args: list[str], env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "loaders", "harvest", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def openalex_ids(db: Graph) -> set[str]:
    return {r["id"] for r in rows(db, "MATCH (p:Paper) WHERE p.openalex_id IS NOT NULL RETURN p.openalex_id AS id")}


# -- the client alone ------------------------------------------------------------------------------------

def test_cursor_walk_to_the_last_page(httpserver: HTTPServer, tmp_path: Path) -> None:
    """RECORDED: diophila's real two-step cursor walk (2 works, then an empty page with next_cursor null)."""
    first, last = cassette("openalex", "diophila", "test_list_entities", "test_list_of_entities_cursor_ends.yaml")
    by_cursor = {parse_qs(urlsplit(r.uri).query)["cursor"][0]: r.body for r in (first, last)}

    def answer(request: Request) -> Response:
        return Response(by_cursor[request.args["cursor"]], 200, content_type="application/json")

    httpserver.expect_request("/works").respond_with_handler(answer)
    client = OpenAlex(settings_for(httpserver, tmp_path))
    cursor, got, calls = "*", [], 0
    while cursor:
        page = client.page("doi:x", cursor, per_page=25)
        got += [w["id"] for w in page.results]
        cursor, calls = page.next_cursor, calls + 1
    expected = [w["id"] for w in json.loads(first.body)["results"]]
    assert got == expected and len(got) == 2 and calls == 2 == client.fetcher.calls


def test_429_with_retry_after_500_and_a_cut_page_are_retried(replay: Replay, httpserver: HTTPServer,
                                                              tmp_path: Path) -> None:
    """CONSTRUCTED faults in front of a real page: a 429 (Retry-After: 1), a 500, then half a page."""
    whole = replay.page("*", PER_PAGE)
    replay.fault("/works", rate_limited_429(1), server_error(), truncated(whole))
    client = OpenAlex(settings_for(httpserver, tmp_path), Fetcher("OpenAlex", backoff=0.01))
    started = time.monotonic()
    page = client.page("x", "*")
    assert [w["id"] for w in page.results] == [w["id"] for w in replay.works[:PER_PAGE]]
    assert client.fetcher.calls == 4, "429, 500, the cut page, the good page"
    assert client.fetcher.waits[0] >= 1.0 and time.monotonic() - started >= 1.0, "Retry-After was honoured"


def test_a_body_shorter_than_its_content_length_is_fetched_again(httpserver: HTTPServer, tmp_path: Path) -> None:
    """CONSTRUCTED: the connection drops after part of a real page (Content-Length says more)."""
    whole = Replay(real_works()[:5], per_page=5).page("*", 5)
    answers = []

    def answer(request: Request) -> Response:
        answers.append(request.path)
        if len(answers) == 1:
            cut = Response(whole[:100], 200, content_type="application/json")
            cut.automatically_set_content_length = False
            cut.headers["Content-Length"] = str(len(whole))
            return cut
        return Response(whole, 200, content_type="application/json")

    httpserver.expect_request("/works").respond_with_handler(answer)
    client = OpenAlex(settings_for(httpserver, tmp_path), Fetcher("OpenAlex", backoff=0.01))
    page = client.page("x", "*")
    assert len(page.results) == 5 and client.fetcher.calls == 2 and len(answers) == 2


def test_a_spent_budget_is_not_waited_for(replay: Replay, httpserver: HTTPServer, tmp_path: Path) -> None:
    """CONSTRUCTED: the real metering headers with nothing remaining and Retry-After until midnight."""
    replay.fault("/works", budget_spent_429())
    client = OpenAlex(settings_for(httpserver, tmp_path), Fetcher("OpenAlex", backoff=0.01))
    with pytest.raises(BudgetSpent, match="daily budget is spent") as caught:
        client.page("x", "*")
    assert caught.value.reset_seconds == 41669 and client.fetcher.calls == 1 and client.fetcher.waits == []


def test_an_error_body_is_reported(httpserver: HTTPServer, tmp_path: Path) -> None:
    """RECORDED: OpenAlex's real 400 for an unknown filter field."""
    recorded = cassette("openalex", "openalexPro", "opt_filter_names.yml")[0]
    httpserver.expect_request("/works").respond_with_data(recorded.body, status=recorded.status,
                                                          content_type="application/json")
    client = OpenAlex(settings_for(httpserver, tmp_path))
    with pytest.raises(HarvestError, match=r"400 .*DOESNTEXIST is not a valid field"):
        client.page("DOESNTEXIST:1", "*")
    assert client.fetcher.calls == 1, "a 400 is not retried"


# -- harvests into the graph --------------------------------------------------------------------------------

def test_author_harvest_loads_every_page_then_update_is_incremental(db: Graph, replay: Replay,
                                                                     httpserver: HTTPServer, tmp_path: Path,
                                                                     neo4j_config: GraphConfig) -> None:
    settings = settings_for(httpserver, tmp_path)
    author, _ = author_record()
    summary, job, store = harvest(db, settings, ["author", "--openalex", author])
    expected = loadable(replay.works)
    assert openalex_ids(db) == expected
    assert (summary.added, summary.rejected, summary.pages) == (len(expected), SCOPE - len(expected), 4)
    assert summary.calls == 1 + 4, "one lookup, four pages"
    assert store.load(job.id).status == "done"
    pages = [uri_of(p) for p in replay.seen if p.startswith("/works")]
    assert all(f"filter=authorships.author.id%3A{author}" in p and "select=" in p for p in pages)

    before = checksum(db)
    replay.seen.clear()
    done = cli(["update", "--no-progress"], cli_env(neo4j_config, httpserver, tmp_path))
    assert done.returncode == 0, done.stderr
    assert all("from_updated_date" in p for p in replay.seen if p.startswith("/works"))
    rejected = SCOPE - len(expected)
    assert (f"harvest {job.id}: 0 works added, 0 updated, {len(expected)} unchanged, {rejected} rejected; "
            "4 pages, 4 calls") in done.stdout
    assert checksum(db) == before
    assert store.load(job.id).refreshed is not None


def test_max_works_stops_early(db: Graph, replay: Replay, httpserver: HTTPServer, tmp_path: Path,
                               works: list[dict]) -> None:
    author, _ = author_record()
    summary, _, _ = harvest(db, settings_for(httpserver, tmp_path), ["author", "--openalex", author,
                                                                      "--max-works", "50"])
    assert openalex_ids(db) == loadable(works[:50]) and summary.pages == 3, "20 + 20 + 10 of the third page"


def test_a_merged_author_id_merges_the_nodes(db: Graph, replay: Replay, httpserver: HTTPServer,
                                             tmp_path: Path, works: list[dict]) -> None:
    """CONSTRUCTED: /authors/A999 answers 301 to the real A1969205032 (no real 301 was recorded);
    the graph already holds a real work whose first author carries the old id."""
    author, _ = author_record()
    replay.redirects["/authors/A999"] = f"/authors/{author}"
    old_work = json.loads(json.dumps(works[0]))
    old_work["authorships"][0]["author"]["id"] = "https://openalex.org/A999"
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"results": [old_work]}))
    load_files(db, "openalex", [seed], progress=False)
    assert count(db, "MATCH (:Author {id: 'openalex:A999'})-[:AUTHORED]->() RETURN count(*)") == 1

    _, job, _ = harvest(db, settings_for(httpserver, tmp_path), ["author", "--openalex", "A999"])
    assert job.merged == {"A999": author}
    assert count(db, "MATCH (:Author {id: 'openalex:A999'})-[:MERGED_INTO]->(:Author {id: $new}) RETURN count(*)",
                 new=f"openalex:{author}") == 1
    assert count(db, "MATCH (:Author {id: 'openalex:A999'})-[:AUTHORED]->() RETURN count(*)") == 0
    assert count(db, "MATCH (:Author {id: $new})-[:AUTHORED]->(p:Paper {openalex_id: $w}) RETURN count(*)",
                 new=f"openalex:{author}", w=works[0]["id"].rsplit("/", 1)[-1]) == 1


# -- the command line: dry run, a spent budget, a kill ------------------------------------------------------

def test_dry_run_counts_without_fetching_pages(replay: Replay, httpserver: HTTPServer, tmp_path: Path,
                                               neo4j_config: GraphConfig) -> None:
    author, _ = author_record()
    done = cli(["author", "--openalex", author, "--dry-run"], cli_env(neo4j_config, httpserver, tmp_path))
    assert done.returncode == 0, done.stderr
    calls = calls_for(SCOPE)
    assert f"{SCOPE} works, {calls} calls, ${calls * 0.0001:.4f}" in done.stdout
    assert "budget left today: $199.808" in done.stdout, "read from the real metering headers"
    assert not any("cursor=" in p for p in replay.seen), "no page was fetched"
    assert not (tmp_path / "harvest").exists()


@pytest.fixture(scope="module")
def uninterrupted(module_db: Graph, make_httpserver: HTTPServer, works: list[dict],
                  tmp_path_factory: pytest.TempPathFactory) -> str:
    """The checksum of the graph an uninterrupted harvest of the replayed scope (SCOPE works in pages of
    PER_PAGE) makes from an empty graph: what a harvest cut short (a spent budget, a kill) must come to once resumed.

    Made once for the module, before the tests that compare with it empty the graph (module fixtures come
    first): it was made twice, once per such test, the same way each time. The page size may differ from the
    cut-short harvest's (half of it in the kill test): the graph must not depend on where pages end.
    """
    author, body = author_record()
    make_httpserver.expect_request(re.compile(r"^/.*")).respond_with_handler(
        Replay(works[:SCOPE], per_page=PER_PAGE, entities={f"/authors/{author}": body}))
    try:
        harvest(module_db, settings_for(make_httpserver, tmp_path_factory.mktemp("uninterrupted")),
                ["author", "--openalex", author])
    finally:
        make_httpserver.clear()
    assert openalex_ids(module_db) == loadable(works[:SCOPE]), "the reference holds every work"
    return checksum(module_db)


def test_spent_budget_exits_75_and_resume_finishes(uninterrupted: str, db: Graph, replay: Replay,
                                                   httpserver: HTTPServer, tmp_path: Path,
                                                   neo4j_config: GraphConfig) -> None:
    """CONSTRUCTED: the third page answers a spent-budget 429 once."""
    page_calls = []

    def third_page_spent(request):
        if request.path == "/works" and "cursor" in request.args:
            page_calls.append(request.args["cursor"])
            if len(page_calls) == 3:
                return budget_spent_429()
        return None

    replay.on_request = third_page_spent
    env = cli_env(neo4j_config, httpserver, tmp_path / "data")
    author, _ = author_record()
    done = cli(["author", "--openalex", author, "--no-progress"], env)
    assert done.returncode == 75, done
    assert "daily budget is spent" in done.stderr and "resume" in done.stderr and "Traceback" not in done.stderr
    job = json.loads((tmp_path / "data" / "harvest" / f"author-{author.lower()}" / "job.json").read_text())
    assert job["status"] == "budget" and job["stages"][0]["pages"] == 2

    done = cli(["resume", job["id"], "--no-progress"], env)
    assert done.returncode == 0, done.stderr
    assert "works added" in done.stdout
    assert checksum(db) == uninterrupted


def test_resume_after_a_kill_gives_the_same_graph(uninterrupted: str, db: Graph, replay: Replay,
                                                  httpserver: HTTPServer, tmp_path: Path,
                                                  neo4j_config: GraphConfig) -> None:
    """A real subprocess killed (SIGKILL) mid-harvest, twice, then resumed."""
    replay.per_page = PER_PAGE // 2  # eight pages: room to be killed in the middle
    replay.delay = 0.3
    env = cli_env(neo4j_config, httpserver, tmp_path / "data")
    author, _ = author_record()
    checkpoint = tmp_path / "data" / "harvest" / f"author-{author.lower()}" / "job.json"
    for kill_after in (2, 4):
        proc = subprocess.Popen([sys.executable, "-m", "loaders", "harvest", "author", "--openalex", author,
                                 "--no-progress"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            try:
                if json.loads(checkpoint.read_text())["stages"][0]["pages"] >= kill_after:
                    break
            except (OSError, ValueError, KeyError, IndexError):
                pass
            time.sleep(0.05)
        time.sleep(0.15)  # land inside the next page's fetch or load
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        pages = json.loads(checkpoint.read_text())["stages"][0]["pages"]
        assert kill_after <= pages < 8, "killed in the middle"
    done = cli(["resume", f"author-{author.lower()}", "--no-progress"], env)
    assert done.returncode == 0, done.stderr
    assert checksum(db) == uninterrupted
