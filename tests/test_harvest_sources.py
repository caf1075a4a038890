"""arXiv (OAI-PMH and search API) and ORCID, replayed: real recordings, and pages built from real records."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from graph.db import Graph
from loaders import arxiv as arxiv_loader
from loaders.harvest.arxiv import ArxivOai, ArxivSearch, in_category, oai_set
from loaders.harvest.http import Fetcher, HarvestError
from loaders.harvest.jobs import Job, JobStore, Stage
from loaders.harvest.orcid import Orcid, normal_orcid, work_ids
from loaders.harvest.run import Clients, run_job
from loaders.harvest.settings import Settings
from tests.conftest import shared_file
from tests.harvest_replay import cassette
from tests.loader_helpers import lines, rows

pytestmark = pytest.mark.allow_hosts(["127.0.0.1", "::1"])
OAI_DIR = ("recorded", "arxiv-oai", "arXivOAIHarvester")


def settings(httpserver: HTTPServer, tmp_path: Path) -> Settings:
    base = httpserver.url_for("").rstrip("/")
    return Settings(openalex_url=base, arxiv_oai_url=f"{base}/oai", arxiv_api_url=f"{base}/api/query",
                    orcid_url=f"{base}/v3.0", harvest_dir=tmp_path / "harvest", arxiv_interval=0.0)


def golden(name: str) -> bytes:
    """An arxiv.py golden file's body, back to its bytes (stored as latin-1 text)."""
    data = json.loads(shared_file("recorded", "arxiv-api", "arxiv.py", name).read_text(encoding="utf-8"))
    return data["body"].encode("latin-1")


def real_raw_record() -> str:
    """RECORDED: the one real arXivRaw record (1302.2146) from a GetRecord response."""
    text = shared_file(*OAI_DIR, "GetRecordResponse.xml").read_text(encoding="utf-8")
    return text[text.index("<record>"):text.index("</record>") + len("</record>")]


def raw_record(record: dict, datestamp: str) -> str:
    """CONSTRUCTED: a real arXiv abs record (arxiv-abs.snapshot) written in the arXivRaw layout."""
    versions = "".join(f'<version version="{escape(v["version"])}"><date>{escape(v["created"])}</date></version>'
                       for v in record["versions"])
    fields = "".join(f"<{k}>{escape(record[k])}</{k}>" for k in ("title", "authors", "categories", "doi",
                                                                   "abstract") if record.get(k))
    return (f"<record><header><identifier>oai:arXiv.org:{record['id']}</identifier><datestamp>{datestamp}"
            f"</datestamp></header><metadata><arXivRaw xmlns=\"http://arxiv.org/OAI/arXivRaw/\"><id>{record['id']}"
            f"</id>{versions}{fields}</arXivRaw></metadata></record>")


def list_records(records: list[str], token: str | None, size: int) -> bytes:
    """CONSTRUCTED: a ListRecords page (no full page with a resumption token was recorded)."""
    resumption = (f'<resumptionToken cursor="0" completeListSize="{size}">{token}</resumptionToken>' if token
                  else f'<resumptionToken cursor="0" completeListSize="{size}"/>')
    return ('<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
            "<responseDate>2026-12-04T00:00:00Z</responseDate><request verb=\"ListRecords\">x</request>"
            f"<ListRecords>{''.join(records)}{resumption}</ListRecords></OAI-PMH>").encode()


def test_oai_error_answers(httpserver: HTTPServer, tmp_path: Path) -> None:
    """RECORDED: noRecordsMatch is an empty last page; badArgument stops with arXiv's message."""
    empty = shared_file(*OAI_DIR, "ErrorResponseNoRecordsMatch.xml").read_bytes()
    bad = shared_file(*OAI_DIR, "ErrorResponseBadArgument.xml").read_bytes()
    httpserver.expect_ordered_request("/oai").respond_with_data(empty, content_type="text/xml")
    httpserver.expect_ordered_request("/oai").respond_with_data(bad, content_type="text/xml")
    client = ArxivOai(settings(httpserver, tmp_path))
    page = client.page(oai_set="moo", since=None, token=None)
    assert page.records == [] and page.token is None
    with pytest.raises(HarvestError, match="badArgument: Verb 'ListRecords', illegal argument 'identifier'"):
        client.page(oai_set="cs", since=None, token=None)


def test_search_api_pages_and_a_400(httpserver: HTTPServer, tmp_path: Path) -> None:
    """RECORDED: arxiv.py's golden pages of search_query=testing (start 0 and 10) and its 400 for id abc."""
    bodies = {"0": golden("q_testing_s0_m10_bc5a6c384fe9.json"), "10": golden("q_testing_s10_m10_34e56e15aaac.json")}

    def answer(request: Request) -> Response:
        if request.args.get("search_query") == "bad":
            return Response(golden("id_abc_s0_m100_b79c8dcf6bc3.json"), 400, content_type="application/atom+xml")
        return Response(bodies[request.args["start"]], 200, content_type="application/atom+xml")

    httpserver.expect_request("/api/query").respond_with_handler(answer)
    client = ArxivSearch(settings(httpserver, tmp_path), Fetcher("arXiv API", backoff=0.01))
    first = client.page("testing", 0, size=10)
    second = client.page("testing", int(first.token or 0), size=10)
    ids = [r["id"] for r in first.records + second.records]
    expected = re.findall(r"<id>http://arxiv.org/abs/(\S+?)v\d+</id>", (bodies["0"] + bodies["10"]).decode())
    assert ids == expected and len(ids) == 20 and first.total == 214881 and second.token == "20"
    works = [arxiv_loader.parse(r) for r in first.records + second.records]
    assert all(w.arxiv_id and w.authors and w.year for w in works)
    with pytest.raises(HarvestError, match="400"):
        client.page("bad", 0)


def test_orcid_works_give_the_dois(httpserver: HTTPServer, tmp_path: Path) -> None:
    """RECORDED: rorcid's real ORCID v3.0 works list of 0000-0003-1444-9135."""
    recorded = next(r for r in cassette("orcid", "rorcid", "works.yml") if r.uri.endswith("1444-9135/works"))
    httpserver.expect_request("/v3.0/0000-0003-1444-9135/works").respond_with_data(
        recorded.body, content_type="application/json")
    body, dois, arxiv = Orcid(settings(httpserver, tmp_path)).works("https://orcid.org/0000-0003-1444-9135")
    assert body == recorded.body
    data = json.loads(recorded.body)
    expected = {e["external-id-value"].lower() for g in data["group"] for e in g["external-ids"]["external-id"]
                if e["external-id-type"] == "doi"}
    assert set(dois) == expected and len(dois) == len(expected) > 0
    assert work_ids({"group": []}) == ([], [])
    with pytest.raises(ValueError, match="not an ORCID iD"):
        normal_orcid("1234")


def test_an_arxiv_category_harvest_pages_by_token_and_checkpoints_the_datestamp(
        db: Graph, httpserver: HTTPServer, tmp_path: Path) -> None:
    """Two ListRecords pages (CONSTRUCTED from real records), the second reached by its resumption token;
    only records in hep-ph are kept."""
    snapshot = [json.loads(line) for line in lines(shared_file("arxiv", "arxiv-abs.snapshot.jsonl.gz"))][:60]
    first = [real_raw_record()] + [raw_record(r, "2024-01-02") for r in snapshot[:29]]
    second = [raw_record(r, "2024-01-03") for r in snapshot[29:]]
    pages = {None: list_records(first, "tok1", 61), "tok1": list_records(second, None, 61)}
    asked: list[dict[str, str]] = []

    def answer(request: Request) -> Response:
        asked.append(dict(request.args))
        return Response(pages[request.args.get("resumptionToken")], 200, content_type="text/xml")

    httpserver.expect_request("/oai").respond_with_handler(answer)
    store = JobStore(tmp_path / "harvest")
    job = Job("arxiv-hep-ph", {"command": "topic"}, "arXiv hep-ph",
              [Stage("arxiv-oai", {"set": oai_set("hep-ph"), "category": "hep-ph"})], since="2024-01-01")
    summary = run_job(db, job, store, Clients(settings(httpserver, tmp_path)))

    expected = {"1302.2146"} | {r["id"] for r in snapshot if in_category(r, "hep-ph")}
    got = {r["id"] for r in rows(db, "MATCH (p:Paper) RETURN p.arxiv_id AS id")}
    assert got == expected and summary.added == len(expected) and summary.pages == 2
    assert asked[0] == {"verb": "ListRecords", "metadataPrefix": "arXivRaw", "set": "physics:hep-ph",
                        "from": "2024-01-01"}
    assert asked[1] == {"verb": "ListRecords", "resumptionToken": "tok1"}
    saved = store.load(job.id)
    assert saved.stages[0].cursor == "2024-01-03" and saved.status == "done"


def test_the_network_is_blocked_in_these_tests() -> None:
    """pytest-socket lets these modules reach 127.0.0.1 only (the replay server and the test Neo4j)."""
    import socket

    from pytest_socket import SocketBlockedError

    with pytest.raises((SocketBlockedError, UserWarning), match="192.0.2.1"):
        socket.create_connection(("192.0.2.1", 443), timeout=1)
