"""The finish phase: the server started on the imported store, constraints and indexes, the empty lists of Papers.

The metrics are in the CSV already (``loaders.bulk.metrics``): no pass over the graph is needed.
"""

from __future__ import annotations

import time

from graph.db import Graph, run_autocommit
from graph.schema import ensure_schema
from graph.server import LocalServer
from loaders.bulk.common import BulkSummary
from loaders.bulk.importer import _config


def finish(server: LocalServer, summary: BulkSummary, *, keep_running: bool) -> None:
    """Start the server on the imported store and bring it to what the transactional loader leaves."""
    phase = time.monotonic()
    server.start(bolt_port=None, http_port=None, quiet=True)
    try:
        summary.phases["start"] = time.monotonic() - phase
        with Graph.connect(_config(server)) as db:
            phase = time.monotonic()
            ensure_schema(db)
            summary.phases["schema"] = time.monotonic() - phase
            phase = time.monotonic()
            run_autocommit(db, "bulk/empty_paper_lists")
            summary.phases["empty lists"] = time.monotonic() - phase
    finally:
        if not keep_running:
            server.stop()
