"""The foundation: the local server, the schema, the query files, the app shell."""

from __future__ import annotations

import stat

import pytest

from graph import queries, stats
from graph.connect import resolve
from graph.db import Graph, GraphConfig
from graph.errors import GraphUnavailable
from graph.server import LocalServer


def test_every_cypher_file_has_a_header_and_explains(session_db: Graph) -> None:
    names = queries.names()
    assert "stats_counts" in names and "schema" in names
    with session_db.driver.session(database=session_db.database) as session:
        for name in names:
            assert queries.query(name).startswith("//"), f"{name}.cypher must start with a // comment"
            for statement in queries.statements(name):
                session.run("EXPLAIN " + statement).consume()


def test_schema_has_constraints_and_fulltext_indexes(session_db: Graph) -> None:
    records, _, _ = session_db.driver.execute_query("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type")
    unique = {(r["labelsOrTypes"][0], r["properties"][0]) for r in records if r["type"] == "UNIQUENESS"}
    assert {("Author", "id"), ("Paper", "id"), ("Topic", "id"), ("Institution", "id")} <= unique
    records, _, _ = session_db.driver.execute_query("SHOW FULLTEXT INDEXES YIELD name")
    assert {"author_names", "paper_titles"} <= {r["name"] for r in records}


def test_counts_of_an_empty_graph_are_zero(db: Graph) -> None:
    counts = stats.counts(db)
    assert counts.empty and counts.papers == 0 and counts.coauthor == 0


def test_counts_follow_the_graph(db: Graph) -> None:
    db.driver.execute_query("CREATE (:Author {id:'a'})-[:AUTHORED]->(:Paper {id:'p'})-[:ABOUT]->(:Topic {id:'t'})")
    counts = stats.counts(db)
    assert (counts.authors, counts.papers, counts.topics, counts.authored, counts.about) == (1, 1, 1, 1, 1)


def test_unreachable_neo4j_is_a_clear_error() -> None:
    config = GraphConfig(uri="bolt://127.0.0.1:9", password="x", connection_timeout=1)
    with Graph.connect(config) as db, pytest.raises(GraphUnavailable, match="127.0.0.1:9"):
        stats.counts(db)


def test_external_uri_provisions_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("NEO4J_URI", "neo4j://example.invalid:7687")
    monkeypatch.setenv("NEO4J_USER", "reader")
    monkeypatch.setenv("NEO4J_PASSWORD", "pw")
    monkeypatch.setenv("PEERGRAPH_DATA_DIR", str(tmp_path))
    config, started = resolve(start=True)
    assert started is None
    assert (config.uri, config.user, config.database) == ("neo4j://example.invalid:7687", "reader", None)
    assert not (tmp_path / "neo4j").exists()


def test_local_server_files_are_private(neo4j_config: GraphConfig, tmp_path_factory) -> None:
    # Other tests start servers of their own under the same base folder: take the session's, by its address.
    homes = {p.resolve() for p in tmp_path_factory.getbasetemp().iterdir()  # pytest adds 'neo4jcurrent' links
             if (p / "password").exists() and (info := LocalServer(p).info()) and info.uri == neo4j_config.uri}
    if not homes:
        pytest.skip("the tests use an external Neo4j")
    assert len(homes) == 1
    server = LocalServer(homes.pop())
    assert stat.S_IMODE((server.password_file).stat().st_mode) == 0o600
    conf = (server.home / "conf" / "neo4j.conf").read_text()
    assert "server.default_listen_address=127.0.0.1" in conf
    assert "dbms.security.auth_enabled=true" in conf
    assert server.info() is not None and server.info().uri == neo4j_config.uri


def test_api_health_stats_and_openapi(client) -> None:
    assert client.get("/api/health").get_json() == {"status": "ok"}
    body = client.get("/api/stats").get_json()
    assert body["papers"] == 0 and set(body) >= {"authors", "papers", "topics", "institutions"}
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.") and "/api/stats" in doc["paths"]
    missing = client.get("/api/no-such-thing")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"


def test_routing_uri_reaches_the_same_graph(db: Graph, neo4j_config: GraphConfig) -> None:
    """`neo4j://` (the routing scheme clusters and Aura use) works against a single server too."""
    db.driver.execute_query("CREATE (:Paper {id: 'p1'}), (:Paper {id: 'p2'})")
    routed = GraphConfig(uri=neo4j_config.uri.replace("bolt://", "neo4j://"), user=neo4j_config.user,
                         password=neo4j_config.password, database=neo4j_config.database)
    with Graph.connect(routed) as other:
        assert stats.counts(other).papers == 2



def test_a_new_server_password_never_looks_like_an_option() -> None:
    """token_urlsafe can start with '-', which neo4j-admin took for an option (a real CI flake)."""
    from graph.server import new_password

    passwords = [new_password() for _ in range(2000)]
    assert all(p[0].isalnum() and len(p) >= 32 for p in passwords)
    assert len(set(passwords)) == len(passwords)
