"""The bulk path (loaders.bulk) against the transactional loader, on real Neo4j servers.

Each case is loaded with ``loaders.load_files`` into the session's shared database and
bulk-loaded: its CSV files (``loaders.bulk.write_csv``) must hold that graph, every
node's properties and every relationship with its (derived) properties, as the
importer reads them, and the summary and the rejects file must be the same. Two cases
also go through the offline import (from the provisioned jars) into a local server of
the module's own, its restart and the finish step, and the imported graph is compared.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import shared_file
from loader_helpers import count, csv_state, graph_state, rows, state_differences

from graph.db import Graph, GraphConfig, run_autocommit
from graph.server import USER, LocalServer, Settings
from loaders import derive, load_files
from loaders.bulk import BulkError, bulk_load, write_csv


@pytest.fixture(scope="module")
def bulk_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """A local server of the module's own, running between the cases (bulk_load stops and restarts it)."""
    server = LocalServer(tmp_path_factory.mktemp("bulk-neo4j"), Settings(heap="512m", pagecache="128m", http=False))
    server.start(bolt_port=None, http_port=None, quiet=True)
    try:
        yield server
    finally:
        server.stop()


def connect(server: LocalServer) -> Graph:
    info = server.info()
    assert info is not None, "the bulk server is not running"
    return Graph.connect(GraphConfig(uri=info.uri, user=USER, password=server.password(), database="neo4j",
                                     connection_timeout=30.0, max_retry_time=30.0))


def empty(server: LocalServer) -> None:
    if not server.info():
        server.start(bolt_port=None, http_port=None, quiet=True)
    with connect(server) as graph:
        run_autocommit(graph, "maintenance/delete_all")


def counts(db: Graph) -> dict[str, int]:
    found = {f"({r['label']})": r["n"] for r in rows(db, "MATCH (n) UNWIND labels(n) AS label "
                                                        "RETURN label, count(*) AS n")}
    found.update({f"[{r['type']}]": r["n"] for r in rows(db, "MATCH ()-[r]->() RETURN type(r) AS type, "
                                                             "count(*) AS n")})
    return found


def tricky(folder: Path) -> Path:
    """A publication list that exercises the CSV and the merge rules: quotes, commas, line breaks, a
    duplicate record by DOI in a later batch, a paper over the 100-author limit, undated papers, rejects."""
    big = [f"Member{i} Collab{i}" for i in range(101)]
    records: list[str] = [
        json.dumps({"title": 'A "quoted", title; with semicolons', "year": 2020, "doi": "10.1234/abc",
                    "authors": ["Ada Lovelace", {"name": "Grace Hopper", "institution": "Harvard University",
                                                 "orcid": "0000-0002-1825-0097"},
                                {"name": "Grace Hopper", "orcid": "0000-0002-1825-0097",
                                 "institution": {"name": "Yale University", "country": "US"}}],
                    "abstract": "First line.\nSecond line, with a comma.\r\nThird \"line\".",
                    "categories": "cs.LG stat.ML", "cited_by_count": 3}),
        json.dumps({"title": "Untitled Note", "authors": ["Charles Babbage"], "date": "2019-05-02"}),
        "this line is not JSON",
        json.dumps({"title": "Bad date", "authors": ["X Y"], "date": "2021-02-30"}),
        json.dumps({"title": 17, "authors": ["X Y"]}),
        json.dumps({"title": "The same paper, again", "doi": "https://doi.org/10.1234/ABC", "year": 2021,
                    "authors": ["A. Lovelace", "Charles Babbage", {"name": "Grace Hopper",
                                                                   "orcid": "0000-0002-1825-0097"}],
                    "venue": "Journal of Tests", "categories": ["cs.AI"], "code_url": "https://example.org/c"}),
        json.dumps({"title": "A big collaboration", "year": 2018, "authors": big + ["Ada Lovelace"],
                    "categories": "hep-ex"}),
        json.dumps({"title": "Undated", "authors": ["Zed Null", "Yan Null", "Charles Babbage"]}),
        # No authors: a paper all the same, with its topics.
        json.dumps({"title": "Nobody's note", "year": 2017, "doi": "10.1234/nobody", "categories": "astro-ph"}),
        json.dumps({"title": "Ünïcödé — Jürgen Müller", "year": 2022, "arxiv_id": "2201.00001v2",
                    "authors": ["Jürgen Müller", "Stéphane d'Ascoli", "Ada Lovelace"],
                    "abstract": "π ≈ 3.14159; tab\there, a control \u001f char", "topics": ["T10017", "cs.CV"]}),
        json.dumps({"title": "Ünïcödé — Jürgen Müller", "year": 2022, "arxiv_id": "2201.00001",
                    "authors": ["J. Müller"], "authors_complete": False}),
    ]
    path = folder / "tricky.jsonl"
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    return path


# Top co-authors ranked from 2 co-authors on (3 of them: ties at the cut, undated pairs) in three cases, which so
# also hold authors below that threshold, who keep none, as every author does in the other cases (the default
# threshold is 100 co-authors).
CASES = {
    "arxiv-files": ("arxiv", [("arxiv", "arxiv-metadata-oai-snapshot.first200.jsonl"),
                              ("arxiv", "arxiv-abs.snapshot.jsonl.gz"),
                              ("arxiv", "arxiv-search-test-docmeta.jsonl.gz")], {}),
    "openalex-top": ("openalex", [("openalex", "openalexpro-works.raw.jsonl.gz")], {"top": (2, 3)}),
    "paperscape-stubs": ("paperscape", [("paperscape", "pscp-1991.csv.gz"), ("paperscape", "pscp-1992.csv.gz")],
                         {}),
    "works-owner-top": ("works", [("seeds", "geiger-works.jsonl")], {"owner": "Mario Geiger", "top": (2, 3)}),
    "tricky-small-batches-top": ("works", [], {"batch_size": 2, "top": (2, 3)}),
}
# A stop, an offline import and a start of the bulk server cost about 45 s of CPU, so one case goes the whole
# way (CSV, import, restart, finish) and is compared as a graph; every case's CSV files are compared with the
# transactional loader's graph as neo4j-admin reads them (loader_helpers.csv_state). The imported case checks
# that reading against the importer itself (CSV = imported graph = transactional graph), on a real file whose
# CSV has a value in every column any other case fills but three, which are of types it has elsewhere
# (Paper.categories string[], Author.novelty double, Paper.code_url string), and but the hand-made file's
# undated COAUTHOR file, whose columns are the dated one's first three; it has quotes, "\r\n" and "\n" in fields,
# non-ASCII, string[] and long[], doubles, booleans, zero-padded ids, institutions, citations, pending
# citations, Papers with empty lists (set by the finish step).
IMPORTED = ("openalex-top",)


def _delimiter(options: list[str]) -> str:
    """The array delimiter the importer was given (``--array-delimiter=U+001F``)."""
    value = next(o.split("=", 1)[1] for o in options if o.startswith("--array-delimiter="))
    return chr(int(value.removeprefix("U+"), 16))


@pytest.mark.parametrize("case", list(CASES))
def test_bulk_equals_transactional(case: str, db: Graph, bulk_server: LocalServer, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    source, parts, options = CASES[case]
    options = dict(options)
    min_degree, size = options.pop("top", (derive.TOP_COAUTHORS_MIN_DEGREE, derive.TOP_COAUTHORS))
    monkeypatch.setattr(derive, "TOP_COAUTHORS_MIN_DEGREE", min_degree)
    monkeypatch.setattr(derive, "TOP_COAUTHORS", size)
    files = [shared_file(*p) for p in parts] or [tricky(tmp_path)]
    imported = case in IMPORTED
    if imported:
        empty(bulk_server)
        bulk = bulk_load(source, files, server=bulk_server, rejects=tmp_path / "bulk.rejects.jsonl",
                         progress=False, csv_dir=tmp_path / "csv", import_memory="512m", import_heap="512m",
                         **options)
        assert bulk.imported is not None
        csv_nodes, csv_relationships, import_options = bulk.imported
        delimiter = _delimiter(import_options)
    else:
        bulk, csv = write_csv(source, files, tmp_path / "csv", rejects=tmp_path / "bulk.rejects.jsonl",
                              progress=False, **options)
        csv_nodes, csv_relationships, delimiter = csv.nodes, csv.relationships, csv.delimiter
    loaded = load_files(db, source, files, rejects=tmp_path / "tx.rejects.jsonl", progress=False, **options)

    assert (bulk.read, bulk.written, bulk.merged, bulk.rejected, bulk.new_papers) == \
           (loaded.read, loaded.written, loaded.merged, loaded.rejected, loaded.new_papers)
    assert bulk.read == bulk.written + bulk.merged + bulk.rejected
    assert bulk.line().startswith(loaded.line().split(" in ")[0])
    # Every timed phase has its CPU; the file is parsed in a child process, whose CPU counts under "read".
    assert set(bulk.cpu) == set(bulk.phases) - {"metrics"}
    assert bulk.cpu["read"][1] > 0
    if loaded.rejected:
        assert (tmp_path / "bulk.rejects.jsonl").read_text() == (tmp_path / "tx.rejects.jsonl").read_text()
    else:
        assert not (tmp_path / "bulk.rejects.jsonl").exists()
    if "top" in CASES[case][2]:  # both kinds of author are there: with top co-authors and without
        assert count(db, "MATCH (a:Author) WHERE a.top_coauthors IS NOT NULL RETURN count(a)") > 0
        assert count(db, "MATCH (a:Author) WHERE a.top_coauthors IS NULL RETURN count(a)") > 0

    expected = graph_state(db)
    written = csv_state(csv_nodes, csv_relationships, delimiter)
    assert state_differences(written, expected) == []  # say what differs, not only that something does
    assert written == expected  # and as often (a node or relationship written twice)
    if not imported:
        assert set(bulk.phases) == {"read", "people", "rows", "derive+csv", "metrics"}
        return

    assert set(bulk.phases) >= {"check", "import", "start", "schema", "empty lists"}
    assert bulk_server.info() is not None, "a server that was running is running again"
    with connect(bulk_server) as graph:
        assert counts(graph) == counts(db)
        imported_state = graph_state(graph)
        assert state_differences(imported_state, expected) == []
        assert imported_state == expected
        indexes = {r["name"] for r in rows(graph, "SHOW INDEXES YIELD name, state WHERE state = 'ONLINE' "
                                                  "RETURN name")}
        assert {"paper_id", "author_id", "paper_titles", "author_names"} <= indexes


def test_tricky_file_is_what_it_says(db: Graph, tmp_path: Path) -> None:
    """The hand-made case really holds what it is meant to exercise (a guard for the comparison above)."""
    path = tricky(tmp_path)
    summary = load_files(db, "works", [path], rejects=tmp_path / "r.jsonl", progress=False, batch_size=2)
    assert (summary.read, summary.written, summary.merged, summary.rejected) == (11, 6, 2, 3)
    assert summary.without_authors == 1
    rejects = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert [(r["line"], r["reason"].split(":")[0]) for r in rejects] == [
        (3, "invalid JSON"), (4, "bad date '2021-02-30'"), (5, "title is int, expected a string")]
    paper = rows(db, "MATCH (p:Paper {id: 'doi:10.1234/abc'}) RETURN p.abstract AS abstract, p.year AS year")[0]
    assert "\n" in paper["abstract"] and paper["year"] == 2021
    assert rows(db, "MATCH ()-[c:COAUTHOR]->() WHERE c.first_year IS NULL RETURN count(c) AS n")[0]["n"] == 3
    # An authorship without institutions stores none (no empty list), in both paths alike.
    assert rows(db, "MATCH ()-[r:AUTHORED]->() WHERE r.institutions IS NULL RETURN count(r) AS n")[0]["n"] > 0
    assert rows(db, "MATCH ()-[r:AUTHORED]->() WHERE r.institutions = [] RETURN count(r) AS n")[0]["n"] == 0


def test_bulk_refuses_a_database_that_is_not_empty(bulk_server: LocalServer, tmp_path: Path) -> None:
    empty(bulk_server)
    with connect(bulk_server) as graph:
        graph.driver.execute_query("CREATE (:Paper {id: 'work:already-here'})", database_="neo4j")
    with pytest.raises(BulkError, match=r"already holds 1 nodes.*transactional loader"):
        bulk_load("works", [shared_file("seeds", "geiger-works.jsonl")], server=bulk_server, progress=False,
                  rejects=tmp_path / "r.jsonl")
    assert bulk_server.info() is not None
    with connect(bulk_server) as graph:
        assert rows(graph, "MATCH (n) RETURN collect(n.id) AS ids")[0]["ids"] == ["work:already-here"]
    assert not (tmp_path / "r.jsonl").exists()


def test_bulk_refuses_an_external_server(tmp_path: Path) -> None:
    with pytest.raises(BulkError, match=r"NEO4J_URI points at bolt://neo4j\.example:7687.*transactional loader"):
        bulk_load("works", [shared_file("seeds", "geiger-works.jsonl")], server=LocalServer(tmp_path / "never"),
                  environ={"NEO4J_URI": "bolt://neo4j.example:7687"})
    assert not (tmp_path / "never").exists()


def test_cli_bulk_refusal_is_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from loaders.__main__ import main

    monkeypatch.setenv("NEO4J_URI", "bolt://neo4j.example:7687")
    assert main(["works", "--bulk", str(shared_file("seeds", "geiger-works.jsonl"))]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: NEO4J_URI points at bolt://neo4j.example:7687") and "Traceback" not in err


def test_a_file_cut_midway_loads_as_the_transactional_loader_loads_it(db: Graph, tmp_path: Path) -> None:
    """Parsing runs in a child process: what it reads, rejects and counts of a gzip cut in half is what the
    transactional loader makes of it, and so is the graph (its CSV files: what happens to them after is the
    same as for whole files, proven above)."""
    whole = shared_file("arxiv", "arxiv-abs.snapshot.jsonl.gz").read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    bulk, csv = write_csv("arxiv", [cut], tmp_path / "csv", rejects=tmp_path / "bulk.rejects.jsonl", progress=False)
    loaded = load_files(db, "arxiv", [cut], rejects=tmp_path / "tx.rejects.jsonl", progress=False)
    assert loaded.written > 0 and loaded.rejected >= 1
    assert (bulk.read, bulk.written, bulk.rejected) == (loaded.read, loaded.written, loaded.rejected)
    assert (tmp_path / "bulk.rejects.jsonl").read_text() == (tmp_path / "tx.rejects.jsonl").read_text()
    written, expected = csv_state(csv.nodes, csv.relationships, csv.delimiter), graph_state(db)
    assert state_differences(written, expected) == []
    assert written == expected


def test_a_crash_while_parsing_reaches_the_caller(bulk_server: LocalServer, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected error in the parsing child is raised in the caller, as itself, and nothing is imported."""
    from loaders import SOURCES, Format

    def crash(record: object) -> None:
        raise RuntimeError("the parser broke on purpose")

    monkeypatch.setitem(SOURCES, "arxiv", Format(SOURCES["arxiv"].items, crash))
    empty(bulk_server)
    with pytest.raises(RuntimeError, match="the parser broke on purpose"):
        bulk_load("arxiv", [shared_file("arxiv", "arxiv-metadata-oai-snapshot.first200.jsonl")], server=bulk_server,
                  rejects=tmp_path / "bulk.rejects.jsonl", progress=False, csv_dir=tmp_path / "csv",
                  import_memory="512m", import_heap="512m")
    assert bulk_server.info() is not None
    with connect(bulk_server) as graph:
        assert counts(graph) == {}
