"""Constraints and indexes: created before the first write, idempotently.

Every load calls ``ensure_schema``, so it must cost next to nothing when the schema is there:
one read of the existing indexes (a uniqueness constraint's index bears its name), compared
with the names ``cypher/schema.cypher`` declares; only what is missing is created, and only
then (or while an index is still populating) does it wait for the indexes to come online.
"""

from __future__ import annotations

import re
from typing import LiteralString

from graph.db import Graph
from graph.queries import query, statements

# "CREATE CONSTRAINT name IF NOT EXISTS ...", "CREATE [FULLTEXT ]INDEX name IF NOT EXISTS ..."
_DECLARED = re.compile(r"CREATE\s+(CONSTRAINT|(?:[A-Z]+\s+)?INDEX)\s+(\w+)\s+IF\s+NOT\s+EXISTS\b", re.IGNORECASE)


def declared() -> list[tuple[str, bool, LiteralString]]:
    """Each statement of ``cypher/schema.cypher`` as (name, is a constraint, statement)."""
    out = []
    for statement in statements("schema"):
        found = _DECLARED.match(statement)
        if found is None:
            raise ValueError(f"cypher/schema.cypher: a statement without 'CREATE ... name IF NOT EXISTS': "
                             f"{statement[:80]!r}")
        out.append((found.group(2), found.group(1).upper() == "CONSTRAINT", statement))
    return out


def ensure_schema(db: Graph, *, wait: bool = True) -> list[str]:
    """Create every constraint and index in ``cypher/schema.cypher`` that does not exist yet; their names.

    ``wait``: return once every index is online (a new index on a large graph populates for a while).
    """
    # One session, no managed retries: an unreachable server is one clear error at once, not a retry loop.
    with db._translated(), db.driver.session(database=db.database) as session:
        present = {row["name"]: row for row in session.run(query("schema_present")).data()}
        missing = [(name, statement) for name, constraint, statement in declared()
                   if name not in present or (constraint and not present[name]["constraint"])]
        populating = any(row["state"] != "ONLINE" for row in present.values())
        for _, statement in missing:
            session.run(statement).consume()
        if wait and (missing or populating):
            session.run("CALL db.awaitIndexes(300)").consume()
    return [name for name, _ in missing]
