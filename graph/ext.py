"""The Flask extension: one Graph (one driver) per app, closed with the app's process."""

from __future__ import annotations

import atexit

from flask import Flask, current_app

from graph.db import Graph, GraphConfig

EXTENSION = "peergraph.graph"


def init_app(app: Flask) -> None:
    """Give ``app`` a Graph built from its config (``NEO4J_*`` keys); no connection is made yet.

    A ``GRAPH`` key in the config (a ready Graph, as tests pass) is used as it is
    and stays owned by whoever made it.
    """
    db = app.config.get("GRAPH")
    if db is None:
        config = GraphConfig(
            uri=app.config["NEO4J_URI"], user=app.config.get("NEO4J_USER", "neo4j"),
            password=app.config.get("NEO4J_PASSWORD", ""), database=app.config.get("NEO4J_DATABASE") or None,
            pool_size=int(app.config.get("NEO4J_POOL_SIZE", 50)),
        )
        db = Graph.connect(config)
        atexit.register(db.close)
    app.extensions[EXTENSION] = db


def get_db() -> Graph:
    """The current app's Graph (inside a request or an app context)."""
    db: Graph = current_app.extensions[EXTENSION]
    return db
