"""The project's own few exceptions: driver errors are translated into these once, in graph.db."""

from __future__ import annotations


class GraphError(Exception):
    """Base of every error the graph layer raises; ``str()`` is a message fit for a user."""


class GraphUnavailable(GraphError):
    """Neo4j cannot be reached (down, restarting, wrong address or credentials)."""


class NotFound(GraphError):
    """The id asked for is not in the graph."""


class BadQuery(GraphError):
    """The query was refused or failed: syntax, semantics, or a safety rule.

    ``code`` is Neo4j's status code when there is one; ``position`` the
    (line, column) of a syntax error when Neo4j gives it.
    """

    def __init__(self, message: str, *, code: str | None = None,
                 position: tuple[int, int] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.position = position


class QueryTimeout(GraphError):
    """The query ran past its time limit and was stopped."""


class OutOfMemory(GraphError):
    """A transaction needed more memory than Neo4j grants transactions.

    Deterministic: the same work fails the same way again, so the message says
    what to change instead of "try again".
    """
