"""The finish phase: the server started on the imported store, constraints and indexes, the empty lists of Papers.

The metrics are in the CSV already (``loaders.bulk.metrics``): no pass over the graph is needed.
"""

from __future__ import annotations

from graph.db import Graph, run_autocommit
from graph.schema import ensure_schema
from graph.server import LocalServer
from loaders.bulk.common import BulkSummary, _Clock
from loaders.bulk.importer import _config


def finish(server: LocalServer, summary: BulkSummary, clock: _Clock, *, keep_running: bool) -> None:
    """Start the server on the imported store and bring it to what the transactional loader leaves."""
    server.start(bolt_port=None, http_port=None, quiet=True)
    try:
        clock.done("start")
        with Graph.connect(_config(server)) as db:
            ensure_schema(db)
            clock.done("schema")
            run_autocommit(db, "bulk/empty_paper_lists")
            clock.done("empty lists")
    finally:
        if not keep_running:
            server.stop()
