"""The import phase: the local server checked empty, stopped, and ``neo4j-admin database import full`` run."""

from __future__ import annotations

from pathlib import Path

from graph.db import Graph, GraphConfig
from graph.server import USER, LocalServer
from loaders.bulk.common import BulkError
from loaders.bulk.csvfiles import _Files


def _config(server: LocalServer) -> GraphConfig:
    info = server.info()
    assert info is not None
    return GraphConfig(uri=info.uri, user=USER, password=server.password(), database="neo4j",
                       connection_timeout=30.0, max_retry_time=30.0)


def _node_count(server: LocalServer) -> int:
    with Graph.connect(_config(server)) as db:
        row = db.read_one("bulk/node_count") or {}
    return int(row.get("nodes", 0))


def _refuse_unless_empty(server: LocalServer, nodes: int) -> None:
    if nodes:
        raise BulkError(
            f"the database of the local Neo4j (home {server.home}) already holds {nodes:,} nodes; --bulk imports "
            "into an empty database only. Load into this one with the transactional loader "
            "(python -m loaders SOURCE FILE..., without --bulk), or empty it first.")


def check_empty(server: LocalServer) -> None:
    """BulkError unless the server's database is empty or does not exist yet (left running or stopped as found)."""
    was_running = server.info() is not None
    if was_running or server.database_dir().exists():
        if not was_running:
            server.start(bolt_port=None, http_port=None, quiet=True)
        try:
            _refuse_unless_empty(server, _node_count(server))
        finally:
            if not was_running:
                server.stop()


def import_options(csv: _Files, delimiter: str, import_memory: str) -> list[str]:
    """The importer's options for the files of ``csv`` (besides the files themselves)."""
    # Abstracts and names may hold line breaks: only the paper and author files are parsed for them.
    multiline = ",".join(str(f) for label, group in csv.nodes if label in ("Paper", "Author") for f in group)
    return ["--id-type=integer", f"--array-delimiter={_delimiter_option(delimiter)}",
            "--multiline-fields-format=v2", f"--multiline-fields={multiline}",
            f"--max-off-heap-memory={import_memory}"]


def run_import(server: LocalServer, csv: _Files, delimiter: str, *, import_memory: str, import_heap: str
               ) -> list[str]:
    """Stop the server (refusing once more if something was written meanwhile) and import the CSV files;
    the importer's options."""
    if server.info() is not None:  # running: nothing may have been written meanwhile
        _refuse_unless_empty(server, _node_count(server))
        server.stop()
    options = import_options(csv, delimiter, import_memory)
    server.import_full(csv.nodes, csv.relationships, options=options, heap=import_heap)
    return options


def _delimiter_option(delimiter: str) -> str:
    return f"U+{ord(delimiter):04X}"


def _scratch(server: LocalServer) -> Path:
    """Where the CSV files go by default: the server's import folder (same disk as the store)."""
    folder = server.home / "import"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
