"""The console against the real Neo4j: refusals leave the graph unchanged, reads run, limits hold."""

from __future__ import annotations

import hashlib
import json
import re
import time
import unicodedata
from itertools import combinations

import networkx as nx
import pytest
from neo4j import exceptions as neo4j_errors

from graph import console, guard
from graph.db import Graph, GraphConfig
from graph.errors import BadQuery, GraphUnavailable, QueryTimeout
from tests.conftest import shared_file
from tests.hostile_queries import HOSTILE, READS
from views.elements import result_graph


def _key(name: str) -> str:
    """The contract's name key, <last>_<first initial>, of a seed-list name."""
    parts = name.replace(".", " ").split()
    plain = unicodedata.normalize("NFKD", f"{parts[-1]}_{parts[0][0]}").encode("ascii", "ignore").decode().lower()
    return "name:" + re.sub(r"[^a-z_]", "", plain)


@pytest.fixture(scope="module")
def library_db(sample_db: Graph) -> Graph:
    """The bundled sample (read-only). Named in the signature, not fetched at run time: the collection order
    (tests/conftest.py) sees only declared fixtures, and this module must run with the other sample readers,
    before any test empties the graph (a reload of the sample costs about 30 s of Neo4j CPU)."""
    return sample_db


def fingerprint(db: Graph) -> tuple[dict[str, int], str]:
    """Counts per label and type, and a checksum over every node and relationship with its properties (each
    side read as one collected list, as loader_helpers.graph_state does)."""
    nodes, _, _ = db.driver.execute_query("MATCH (n) RETURN collect([labels(n), properties(n)]) AS all")
    rels, _, _ = db.driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN collect([type(r), elementId(a), elementId(b), properties(r)]) AS all")
    nodes, rels = nodes[0]["all"], rels[0]["all"]
    counts: dict[str, int] = {}
    for labels, _props in nodes:
        for label in labels or ["(none)"]:
            counts[label] = counts.get(label, 0) + 1
    for rel in rels:
        counts[rel[0]] = counts.get(rel[0], 0) + 1
    lines = sorted(json.dumps([sorted(labels), props], sort_keys=True, default=str) for labels, props in nodes)
    lines += sorted(json.dumps(rel, sort_keys=True, default=str) for rel in rels)
    return counts, hashlib.sha256("\n".join(lines).encode()).hexdigest()


@pytest.fixture(scope="module")
def before(library_db: Graph) -> tuple[dict[str, int], str]:
    """The sample's fingerprint before any refused write: taken once, since every test here leaves the graph
    as it was (each checks that). A fingerprint reads all 61,000 nodes and relationships."""
    return fingerprint(library_db)


def test_hostile_queries_are_refused_and_the_graph_stays_unchanged(library_db: Graph,
                                                                   before: tuple[dict[str, int], str]) -> None:
    assert sum(before[0].values()) > 50
    for query in HOSTILE:
        with pytest.raises(BadQuery) as caught:
            console.run_console(library_db, query, {"set": 1}, timeout_s=5)
        assert str(caught.value).startswith("refused: "), (query, str(caught.value))
    assert fingerprint(library_db) == before


@pytest.mark.parametrize("query", [
    "CREATE (n:Evil)", "MATCH (a:Author) SET a.evil = 1", "MATCH (n) DETACH DELETE n",
    "CALL db.createLabel('Evil')", "CREATE INDEX evil FOR (n:Author) ON (n.evil)", "SHOW USERS",
    "CALL dbms.components()",
])
def test_neo4j_query_type_refuses_writes_even_without_the_lexical_guard(
        library_db: Graph, before: tuple[dict[str, int], str], monkeypatch: pytest.MonkeyPatch, query: str) -> None:
    monkeypatch.setattr(console.guard, "check", lambda text: guard.Checked(text=text))
    with pytest.raises(guard.Refused, match="Neo4j says this query"):
        console.run_console(library_db, query)
    assert fingerprint(library_db) == before


def test_the_read_transaction_refuses_writes_on_its_own(library_db: Graph,
                                                        before: tuple[dict[str, int], str]) -> None:
    with console.read_transaction(library_db, timeout_s=5) as tx, \
            pytest.raises(neo4j_errors.ClientError, match="read access mode"):
        tx.run("CREATE (:Evil {id: 'x'})").consume()
    assert fingerprint(library_db) == before


@pytest.mark.parametrize("query", READS)
def test_legitimate_reads_run(library_db: Graph, query: str) -> None:
    result = console.run_console(library_db, query, {"set": 1, "create": "x"})
    json.dumps(result.to_json(), allow_nan=False)
    assert result.columns or result.mode == "explain"


@pytest.mark.parametrize("saved", console.saved_queries(), ids=lambda q: q.name)
def test_every_saved_query_runs_with_its_defaults(library_db: Graph, saved: console.SavedQuery) -> None:
    result = console.run_console(library_db, saved.text, saved.defaults())
    assert result.columns == saved.columns
    json.dumps(result.to_json(), allow_nan=False)
    if result.rows and any(c in ("path", "a", "nodes") for c in result.columns):
        assert result.graph["nodes"], "a query returning nodes or paths must draw something"


def test_top_collaborators_match_the_seed_list(library_db: Graph) -> None:
    seed = [json.loads(line) for line in shared_file("seeds", "geiger-works.jsonl").read_text().splitlines()]
    joint: dict[str, int] = {}
    for work in seed:
        keys = {_key(a if isinstance(a, str) else a["name"]) for a in work["authors"]}
        if "name:geiger_m" in keys:
            for key in keys - {"name:geiger_m"}:
                joint[key] = joint.get(key, 0) + 1
    saved = console.saved_query("top_collaborators")
    result = console.run_console(library_db, saved.text, {"author_id": "name:geiger_m", "limit": 5})
    assert [row[2] for row in result.rows] == sorted(joint.values(), reverse=True)[:5]
    top = max(joint.values())
    assert {row[0] for row in result.rows if row[2] == top} == {k for k, v in joint.items() if v == top}


def test_shortest_paths_agree_with_networkx(library_db: Graph) -> None:
    seed = [json.loads(line) for line in shared_file("seeds", "geiger-works.jsonl").read_text().splitlines()]
    graph = nx.Graph()
    for work in seed:
        graph.add_edges_from(combinations(sorted({_key(a if isinstance(a, str) else a["name"])
                                                  for a in work["authors"]}), 2))
    expected = nx.shortest_path_length(graph, "name:diaz_i", "name:wyart_m")
    saved = console.saved_query("shortest_paths")
    result = console.run_console(library_db, saved.text, saved.defaults())
    assert result.rows and {row[0] for row in result.rows} == {expected}
    ids = {n["data"]["id"] for n in result.graph["nodes"]}
    assert {"name:diaz_i", "name:wyart_m"} <= ids
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in result.graph["edges"])
    assert {e["classes"] for e in result.graph["edges"]} == {"coauthor"}


def test_graph_elements_follow_the_cytoscape_contract(library_db: Graph) -> None:
    result = console.run_console(library_db, "MATCH (a:Author)-[r:AUTHORED]->(p:Paper) RETURN a, r, p LIMIT 20")
    # The views' one builder cuts labels, sizes and places the nodes (as in every graph view).
    view = result_graph(result.graph)
    nodes, edges = view["nodes"], view["edges"]
    types = {n["data"]["id"]: n["data"]["type"] for n in nodes}
    assert set(types.values()) == {"author", "paper"}
    assert all(n["classes"] == n["data"]["type"] and 20 <= n["data"]["size"] <= 80 and n["data"]["label"]
               and "position" in n for n in nodes)
    assert {n["data"]["id"] for n in nodes} == {n["data"]["id"] for n in result.graph["nodes"]}
    assert len(edges) == 20
    for edge in edges:
        data = edge["data"]
        assert data["id"] == f"{data['source']}|AUTHORED|{data['target']}"
        assert types[data["source"]] == "author" and types[data["target"]] == "paper"
        assert edge["classes"] == "authored"


def test_the_row_cap_cuts_and_says_so(library_db: Graph) -> None:
    capped = console.run_console(library_db, "UNWIND range(1, 10000) AS x RETURN x")
    assert capped.row_count == 5000 and capped.truncated
    assert [r[0] for r in capped.rows[:3]] == [1, 2, 3]
    exact = console.run_console(library_db, "UNWIND range(1, 5000) AS x RETURN x")
    assert exact.row_count == 5000 and not exact.truncated
    small = console.run_console(library_db, "UNWIND range(1, 100) AS x RETURN x", row_cap=10)
    assert small.row_count == 10 and small.truncated


def test_a_slow_query_is_stopped_at_the_time_limit(library_db: Graph) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="time limit of 1 s"):
        console.run_console(library_db, "UNWIND range(1, 10000000000) AS x WITH x WHERE x % 7 = 8 "
                                        "UNWIND range(1, 1000) AS y RETURN count(*)", timeout_s=1)
    assert time.monotonic() - started < 8


def test_a_syntax_error_has_its_message_and_position(library_db: Graph) -> None:
    with pytest.raises(BadQuery) as caught:
        console.run_console(library_db, "MATCH (n)\nRETURN n +")
    assert caught.value.position == (2, 11)
    assert "line 2, column 11" in str(caught.value)
    assert "EXPLAIN" not in str(caught.value) and "\n" not in str(caught.value)


def test_an_unknown_label_runs_empty_with_a_notification(library_db: Graph) -> None:
    result = console.run_console(library_db, "MATCH (n:NoSuchLabel) RETURN n")
    assert result.rows == []
    assert any("NoSuchLabel" in n["message"] and n["position"] == [1, 10] for n in result.notifications)


def test_explain_plans_without_running_and_profile_counts(library_db: Graph) -> None:
    explained = console.run_console(library_db, "MATCH (a:Author) RETURN a.name", mode="explain")
    assert explained.rows == [] and explained.plan["operator"] == "ProduceResults"
    assert explained.plan["estimated_rows"] is not None and explained.plan["db_hits"] is None
    authors = library_db.driver.execute_query("MATCH (a:Author) RETURN count(a) AS c").records[0]["c"]
    profiled = console.run_console(library_db, "PROFILE MATCH (a:Author) RETURN a.name")
    assert profiled.mode == "profile" and profiled.row_count == min(authors, 5000)
    assert profiled.truncated == (authors > 5000)
    assert profiled.plan["rows"] == authors and profiled.plan["db_hits"] is not None
    assert console.plan_lines(profiled.plan)[0].startswith("ProduceResults")


def test_values_become_json(library_db: Graph) -> None:
    result = console.run_console(library_db, "RETURN date('2024-01-02') AS d, "
                                             "datetime('2024-01-02T03:04:05Z') AS t, duration('P1D') AS du, "
                                             "point({x: 1.5, y: 2}) AS p")
    day, moment, duration, point = result.rows[0]
    assert day == "2024-01-02" and moment.startswith("2024-01-02T03:04:05") and moment.endswith("+00:00")
    assert duration == "P1D"
    assert point == {"srid": 7203, "coordinates": [1.5, 2.0]}
    nan = console.run_console(library_db, "RETURN 0.0 / 0.0 AS nan, [1, {a: null}] AS nested")
    assert nan.rows == [["NaN", [1, {"a": None}]]]


def test_parameters_are_passed_as_parameters(library_db: Graph) -> None:
    sneaky = "x' OR 1=1 //"
    result = console.run_console(library_db, "RETURN $value AS v, $value = 'x' AS same", {"value": sneaky})
    assert result.rows == [[sneaky, False]]
    with pytest.raises(BadQuery, match="JSON object"):
        console.run_console(library_db, "RETURN 1", ["not", "a", "dict"])  # type: ignore[arg-type]


def test_schema_lists_labels_and_types_with_counts(library_db: Graph) -> None:
    entries = {(e.kind, e.name): e for e in console.schema(library_db)}
    counts, _ = fingerprint(library_db)
    assert entries[("label", "Author")].count == counts["Author"]
    assert entries[("type", "COAUTHOR")].count == counts["COAUTHOR"]
    assert dict(entries[("label", "Author")].properties)["id"] == counts["Author"]


def test_an_unreachable_neo4j_is_reported_as_unavailable() -> None:
    with Graph.connect(GraphConfig(uri="bolt://127.0.0.1:9", connection_timeout=1.0)) as away, \
            pytest.raises(GraphUnavailable):
        console.run_console(away, "RETURN 1")
