"""``POST /api/cypher``, ``GET /api/cypher/saved`` and ``GET /api/schema`` over the real Neo4j."""

from __future__ import annotations

import csv
import io
import time
from contextlib import contextmanager

import networkx as nx
import pytest

from graph.db import Graph, GraphConfig
from graph.ext import EXTENSION

# A small co-author graph: (author, author, joint works).
PAIRS = [("a:1", "a:2", 3), ("a:1", "a:3", 1), ("a:2", "a:3", 2), ("a:3", "a:4", 5), ("a:4", "a:5", 1)]


def make_graph(db: Graph) -> nx.Graph:
    """The pairs above as Authors with COAUTHOR relationships (smaller id -> larger id), and as networkx."""
    db.driver.execute_query(
        """UNWIND $pairs AS pair
           MERGE (a:Author {id: pair[0]}) SET a.name = 'Author ' + pair[0]
           MERGE (b:Author {id: pair[1]}) SET b.name = 'Author ' + pair[1]
           MERGE (a)-[c:COAUTHOR]->(b) SET c.works = pair[2]""",
        pairs=[list(p) for p in PAIRS])
    graph = nx.Graph()
    graph.add_weighted_edges_from(PAIRS, weight="works")
    return graph


def cypher(client, query: str, params: dict | None = None, **extra):
    return client.post("/api/cypher", json={"query": query, "params": params or {}, **extra})


def count_nodes(db: Graph) -> int:
    return db.driver.execute_query("MATCH (n) RETURN count(n) AS c").records[0]["c"]


@contextmanager
def app_config(app, **values):
    old = {k: app.config.get(k) for k in values}
    app.config.update(values)
    try:
        yield
    finally:
        app.config.update(old)


def test_a_query_answers_rows_and_graph(client, db) -> None:
    graph = make_graph(db)
    answer = cypher(client, "MATCH (a:Author {id: $id})-[c:COAUTHOR]-(b) RETURN b.id AS id, c.works AS works, a, c, b",
                    {"id": "a:3"})
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["columns"] == ["id", "works", "a", "c", "b"]
    assert {(r[0], r[1]) for r in body["rows"]} == {(n, graph["a:3"][n]["works"]) for n in graph["a:3"]}
    assert body["row_count"] == graph.degree("a:3") and body["truncated"] is False
    assert isinstance(body["elapsed_ms"], int) and "plan" not in body
    node_ids = {n["data"]["id"] for n in body["graph"]["nodes"]}
    assert node_ids == {"a:3", *graph["a:3"]}
    edges = {(e["data"]["source"], e["data"]["target"]): e["data"]["weight"] for e in body["graph"]["edges"]}
    assert edges == {tuple(sorted(("a:3", n))): graph["a:3"][n]["works"] for n in graph["a:3"]}


def test_a_write_is_refused_with_400_and_its_position(client, db) -> None:
    make_graph(db)
    before = count_nodes(db)
    answer = cypher(client, "MATCH (n)\nDETACH DELETE n")
    assert answer.status_code == 400
    error = answer.get_json()["error"]
    assert error["code"] == "refused"
    assert "writes are not allowed" in error["message"] and "DETACH" in error["message"]
    assert error["position"] == {"line": 2, "column": 1}
    assert count_nodes(db) == before


def test_a_syntax_error_answers_400_with_the_position(client) -> None:
    answer = cypher(client, "MATCH (n) RETURN n +")
    assert answer.status_code == 400
    error = answer.get_json()["error"]
    assert error["code"] == "bad_query" and error["position"] == {"line": 1, "column": 21}
    assert "Traceback" not in error["message"]


@pytest.mark.parametrize(("body", "message"), [
    ("not json", "JSON object"),
    ([1, 2], "JSON object"),
    ({"params": {}}, "'query'"),
    ({"query": "  "}, "'query'"),
    ({"query": "RETURN 1", "params": [1]}, "'params'"),
    ({"query": "RETURN 1", "mode": "write"}, "'mode'"),
    ({"query": "RETURN 1", "row_cap": 0}, "'row_cap'"),
    ({"query": "RETURN 1", "row_cap": "10"}, "'row_cap'"),
    ({"query": "RETURN 1", "timeout": -1}, "'timeout'"),
    ({"query": "RETURN 1", "format": "xml"}, "'format'"),
])
def test_bad_bodies_answer_400_saying_what_was_wrong(client, body, message: str) -> None:
    if isinstance(body, str):
        answer = client.post("/api/cypher", data=body, content_type="application/json")
    else:
        answer = client.post("/api/cypher", json=body)
    assert answer.status_code == 400
    assert message in answer.get_json()["error"]["message"]


def test_the_row_cap_and_a_lower_one_per_request(client, app) -> None:
    body = cypher(client, "UNWIND range(1, 10000) AS x RETURN x").get_json()
    assert body["row_count"] == 5000 and body["truncated"] is True and body["row_cap"] == 5000
    body = cypher(client, "UNWIND range(1, 10000) AS x RETURN x", row_cap=10).get_json()
    assert [r[0] for r in body["rows"]] == list(range(1, 11)) and body["truncated"] is True
    with app_config(app, CONSOLE_ROW_CAP=100):
        body = cypher(client, "UNWIND range(1, 10000) AS x RETURN x").get_json()
        assert body["row_count"] == 100 and body["truncated"] is True
        answer = cypher(client, "RETURN 1", row_cap=101)
        assert answer.status_code == 400 and "at most 100" in answer.get_json()["error"]["message"]


def test_a_timeout_answers_504_quickly(client, app) -> None:
    started = time.monotonic()
    answer = cypher(client, "UNWIND range(1, 10000000000) AS x WITH x WHERE x % 7 = 8 RETURN count(*)", timeout=1)
    assert answer.status_code == 504
    assert "time limit of 1 s" in answer.get_json()["error"]["message"]
    assert time.monotonic() - started < 8
    with app_config(app, CONSOLE_TIMEOUT=2):
        assert cypher(client, "RETURN 1", timeout=3).status_code == 400


def test_csv_by_query_parameter_or_accept_header(client, db) -> None:
    graph = make_graph(db)
    query = {"query": "MATCH (a:Author) RETURN a.id AS id, COUNT { (a)-[:COAUTHOR]-() } AS degree, [1, 2] AS l "
                      "ORDER BY id"}
    for answer in (client.post("/api/cypher?format=csv", json=query),
                   client.post("/api/cypher", json=query, headers={"Accept": "text/csv"})):
        assert answer.status_code == 200 and answer.mimetype == "text/csv"
        assert "attachment" in answer.headers["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True))))
        assert rows[0] == ["id", "degree", "l"]
        assert rows[1:] == [[n, str(graph.degree(n)), "[1, 2]"] for n in sorted(graph)]
    assert client.post("/api/cypher", json=query, headers={"Accept": "*/*"}).mimetype == "application/json"


def test_explain_and_profile_answer_a_plan(client, db) -> None:
    make_graph(db)
    explained = cypher(client, "MATCH (a:Author) RETURN a.id", mode="explain").get_json()
    assert explained["rows"] == [] and explained["plan"]["operator"] == "ProduceResults"
    profiled = cypher(client, "MATCH (a:Author) RETURN a.id", mode="profile").get_json()
    assert profiled["row_count"] == 5 and profiled["plan"]["rows"] == 5


def test_the_saved_library(client) -> None:
    queries = client.get("/api/cypher/saved").get_json()["queries"]
    assert len(queries) >= 12
    for q in queries:
        assert q["title"] and q["description"] and q["query"].strip() and q["columns"]
        assert q["defaults"] == {p["name"]: p["default"] for p in q["params"]}
    by_name = {q["name"]: q for q in queries}
    assert by_name["analyst/top_collaborators"]["defaults"] == {"author_id": "name:geiger_m", "limit": 20}


def test_the_saved_queries_run_through_the_api(client, db) -> None:
    graph = make_graph(db)
    saved = {q["name"]: q for q in client.get("/api/cypher/saved").get_json()["queries"]}
    top = saved["analyst/top_collaborators"]
    body = cypher(client, top["query"], {**top["defaults"], "author_id": "a:3"}).get_json()
    expected = sorted(graph["a:3"], key=lambda n: -graph["a:3"][n]["works"])
    assert [r[0] for r in body["rows"]] == expected
    paths = saved["analyst/shortest_paths"]
    body = cypher(client, paths["query"], {"from_id": "a:1", "to_id": "a:5", "limit": 10}).get_json()
    assert {r[0] for r in body["rows"]} == {nx.shortest_path_length(graph, "a:1", "a:5")}
    assert {tuple(r[1]) for r in body["rows"]} == {
        tuple(f"Author {n}" for n in p) for p in nx.all_shortest_paths(graph, "a:1", "a:5")}


def test_schema_counts_labels_types_and_properties(client, db) -> None:
    make_graph(db)
    body = client.get("/api/schema").get_json()
    labels = {e["name"]: e for e in body["labels"]}
    assert labels["Author"]["count"] == 5
    assert {p["key"]: p["count"] for p in labels["Author"]["properties"]} == {"id": 5, "name": 5}
    types = {e["name"]: e for e in body["relationship_types"]}
    assert types["COAUTHOR"]["count"] == len(PAIRS)
    assert types["COAUTHOR"]["properties"] == [{"key": "works", "count": len(PAIRS)}]


def test_openapi_describes_the_console(client) -> None:
    doc = client.get("/api/openapi.json").get_json()
    assert {"/api/cypher", "/api/cypher/saved", "/api/schema"} <= set(doc["paths"])
    post = doc["paths"]["/api/cypher"]["post"]
    assert {"200", "400", "503", "504"} <= set(post["responses"])
    assert {"CypherRequest", "CypherResult", "SavedQuery"} <= set(doc["components"]["schemas"])


def test_an_unreachable_neo4j_answers_503(app) -> None:
    ours = app.extensions[EXTENSION]
    away = Graph.connect(GraphConfig(uri="bolt://127.0.0.1:9", connection_timeout=1.0))
    app.extensions[EXTENSION] = away
    try:
        answer = app.test_client().post("/api/cypher", json={"query": "RETURN 1"})
        assert answer.status_code == 503
        assert "not reachable" in answer.get_json()["error"]["message"]
    finally:
        app.extensions[EXTENSION] = ours
        away.close()
