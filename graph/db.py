"""The one seam every query goes through: a ``Graph`` wraps a driver and a database name.

Queries are referred to by name (files in ``cypher/``); values are always
parameters. Reads are routed as reads (``neo4j://`` clusters and Aura send them
to followers), writes run in managed transactions that the driver retries.
Driver errors are translated here, once, into ``graph.errors``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import neo4j
from neo4j import Driver, GraphDatabase, ManagedTransaction, RoutingControl
from neo4j import exceptions as nx

from graph.errors import BadQuery, GraphError, GraphUnavailable, OutOfMemory, QueryTimeout
from graph.queries import query

T = TypeVar("T")


@dataclass(frozen=True)
class GraphConfig:
    """Where the graph is. Built from ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``."""

    uri: str
    user: str = "neo4j"
    password: str = ""
    database: str | None = None
    # Short timeouts: a web request must fail fast (503) when Neo4j is away, not hang.
    # Loaders, which would rather wait, pass longer ones (dataclasses.replace).
    connection_timeout: float = 3.0
    # Retries of a managed transaction start after ``retry_delay`` and double: the driver's own
    # default (1 s, and at least one sleep) made a query against a stopped Neo4j take 1 to 3 s.
    # 0.1 s doubling within 0.5 s is four quick attempts, about 0.7 s in all.
    max_retry_time: float = 0.5
    retry_delay: float = 0.1
    pool_size: int = 50

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> GraphConfig | None:
        """The external server named by ``NEO4J_URI``, or None when it is not set."""
        env = dict(os.environ if env is None else env)
        uri = env.get("NEO4J_URI", "").strip()
        if not uri:
            return None
        return cls(uri=uri, user=env.get("NEO4J_USER", "neo4j"), password=env.get("NEO4J_PASSWORD", ""),
                   database=env.get("NEO4J_DATABASE") or None,
                   pool_size=int(env.get("PEERGRAPH_POOL_SIZE", "50")))

    def describe(self) -> str:
        """Where this points, for messages (never the password)."""
        return f"{self.uri} (user {self.user}, database {self.database or 'default'})"


def translate(exc: Exception, where: str = "") -> GraphError:
    """The project's exception for a driver exception."""
    if isinstance(exc, GraphError):
        return exc
    place = f" at {where}" if where else ""
    if isinstance(exc, nx.AuthError):
        return GraphUnavailable(f"Neo4j{place} refused the credentials: {exc.message}")
    if isinstance(exc, (nx.ServiceUnavailable, nx.SessionExpired, nx.DatabaseUnavailable, OSError)):
        return GraphUnavailable(f"Neo4j is not reachable{place}. Is it running?")
    if isinstance(exc, nx.Neo4jError):
        code = exc.code or ""
        message = exc.message or str(exc)
        if "TransactionTimedOut" in code or "Transaction.TransactionTimedOut" in code:
            return QueryTimeout(f"the query ran past its time limit and was stopped ({message})")
        if code.startswith("Neo.TransientError") and "Terminated" in code:
            return QueryTimeout(f"the query was stopped: {message}")
        if is_memory_error(exc):
            return OutOfMemory(
                f"Neo4j{place} has not enough transaction memory for this work ({message}); running it again "
                "fails the same way: make the work smaller, or give Neo4j more memory (PEERGRAPH_NEO4J_HEAP "
                "for the local server, which grants transactions 70% of it; "
                "dbms.memory.transaction.total.max on another server)")
        if code.startswith(("Neo.ClientError", "Neo.DatabaseError.Statement")):
            return BadQuery(message, code=code, position=_position(message))
        if code.startswith("Neo.TransientError"):
            return GraphUnavailable(f"Neo4j is busy{place}, try again: {message}")
        return GraphError(f"Neo4j error {code}: {message}")
    if isinstance(exc, nx.DriverError):
        return GraphUnavailable(f"Neo4j driver error{place}: {exc}")
    raise exc


# Status codes of a transaction refused memory: the pool of all transactions
# (dbms.memory.transaction.total.max) or one transaction's own limit (db.memory.transaction.max).
# Neo4j files them as transient, but the same transaction asks for the same memory again.
_MEMORY_CODES = ("MemoryPoolOutOfMemoryError", "TransactionMemoryLimit", "TransactionOutOfMemoryError",
                 "General.OutOfMemoryError")


def is_memory_error(exc: BaseException) -> bool:
    """Whether ``exc`` (a driver or project exception) says a transaction ran out of its memory."""
    if isinstance(exc, OutOfMemory):
        return True
    if not isinstance(exc, nx.Neo4jError):
        return False
    code = exc.code or ""
    message = exc.message or ""
    return any(c in code for c in _MEMORY_CODES) or "memory.transaction" in message


def _position(message: str) -> tuple[int, int] | None:
    """(line, column) from a Neo4j syntax error message, when it has one."""
    import re

    match = re.search(r"\(line (\d+), column (\d+)", message)
    return (int(match.group(1)), int(match.group(2))) if match else None


class Graph:
    """A driver plus a database name: the handle every query function takes as ``db``."""

    def __init__(self, driver: Driver, database: str | None = None, *, where: str = "") -> None:
        self.driver = driver
        self.database = database
        self.where = where

    @classmethod
    def connect(cls, config: GraphConfig) -> Graph:
        """A new Graph with its own driver (no connection is made until the first query)."""
        driver = GraphDatabase.driver(
            config.uri, auth=(config.user, config.password),
            connection_timeout=config.connection_timeout,
            connection_acquisition_timeout=config.connection_timeout * 2,
            max_transaction_retry_time=config.max_retry_time,
            initial_retry_delay=config.retry_delay,
            max_connection_pool_size=config.pool_size,
            user_agent="peergraph",
            # Unknown labels in an empty graph are normal here; keep the logs for real problems.
            notifications_min_severity="OFF",
        )
        return cls(driver, config.database, where=config.uri)

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except (nx.Neo4jError, nx.DriverError, OSError) as exc:
            raise translate(exc, self.where) from exc

    # -- named queries -----------------------------------------------------
    def read(self, name: str, /, **params: Any) -> list[dict[str, Any]]:
        """Rows of read query ``name`` as plain dicts, routed to a reader."""
        with self._translated():
            records, _, _ = self.driver.execute_query(
                query(name), params, routing_=RoutingControl.READ, database_=self.database)
        return [record.data() for record in records]

    def read_one(self, name: str, /, **params: Any) -> dict[str, Any] | None:
        """The first row of read query ``name``, or None."""
        rows = self.read(name, **params)
        return rows[0] if rows else None

    def write(self, name: str, /, **params: Any) -> dict[str, int]:
        """Run write query ``name`` in a managed (retried) transaction; the summary counters."""
        text = query(name)

        def work(tx: ManagedTransaction) -> neo4j.ResultSummary:
            return tx.run(text, params).consume()

        summary = self.write_tx(work)
        return _counters(summary)

    def write_rows(self, name: str, /, **params: Any) -> list[dict[str, Any]]:
        """Run write query ``name`` and return its rows."""
        text = query(name)
        return self.write_tx(lambda tx: [r.data() for r in tx.run(text, params)])

    # -- transactions --------------------------------------------------------
    def read_tx(self, work: Callable[..., T], *args: Any) -> T:
        """``work(tx, *args)`` in a managed read transaction."""
        with self._translated(), self.driver.session(database=self.database) as session:
            return session.execute_read(work, *args)

    def write_tx(self, work: Callable[..., T], *args: Any) -> T:
        """``work(tx, *args)`` in a managed write transaction (retried on transient errors)."""
        with self._translated(), self.driver.session(database=self.database) as session:
            return session.execute_write(work, *args)

    @contextmanager
    def reading(self) -> Iterator[neo4j.Transaction]:
        """An explicit read transaction whose results are read as they arrive (exports stream through it).

        Not retried, unlike ``read_tx``: rows already handed on cannot be taken back.
        """
        with (self._translated(),
              self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session,
              session.begin_transaction() as tx):
            yield tx

    def ping(self) -> None:
        """Raise GraphUnavailable unless Neo4j answers now."""
        with self._translated():
            self.driver.verify_connectivity()


def _counters(summary: neo4j.ResultSummary) -> dict[str, int]:
    c = summary.counters
    return {
        "nodes_created": c.nodes_created, "nodes_deleted": c.nodes_deleted,
        "relationships_created": c.relationships_created, "relationships_deleted": c.relationships_deleted,
        "properties_set": c.properties_set,
    }


def run_autocommit(db: Graph, name: str, /, **params: Any) -> dict[str, int]:
    """Run query ``name`` in an auto-commit transaction (needed by ``CALL {} IN TRANSACTIONS``)."""
    with db._translated(), db.driver.session(database=db.database) as session:
        return _counters(session.run(query(name), params).consume())
