"""Constraints and indexes: created before the first write, idempotently."""

from __future__ import annotations

from graph.db import Graph
from graph.queries import statements


def ensure_schema(db: Graph, *, wait: bool = True) -> None:
    """Create every constraint and index in ``cypher/schema.cypher`` that does not exist yet."""
    with db._translated(), db.driver.session(database=db.database) as session:
        for statement in statements("schema"):
            session.run(statement).consume()
        if wait:
            session.run("CALL db.awaitIndexes(300)").consume()
