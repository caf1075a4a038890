"""A topic's page: where it sits in its hierarchy, its top authors, recent works and related topics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.db import Graph
from graph.errors import NotFound
from graph.queries import query

MAX_AUTHORS_PER_WORK = 8


@dataclass(frozen=True)
class TopicPage:
    id: str
    name: str
    scheme: str | None
    level: str | None
    works: int
    parents: list[dict[str, Any]]
    children: list[dict[str, Any]]
    children_count: int
    top_authors: list[dict[str, Any]]
    recent_works: list[dict[str, Any]]
    related: list[dict[str, Any]]


def topic(db: Graph, topic_id: str, *, authors: int = 15, works: int = 15, related: int = 12,
          children: int = 30) -> TopicPage:
    """Everything the topic page shows, in one read transaction; NotFound for an unknown id."""

    def work(tx: Any) -> dict[str, Any] | None:
        def rows(name: str, **params: Any) -> list[dict[str, Any]]:
            return [r.data() for r in tx.run(query(name), {"id": topic_id, **params})]

        head = rows("topic_profile", children=children)
        if not head:
            return None
        return {**head[0],
                "top_authors": rows("topic_top_authors", limit=authors),
                "recent_works": rows("topic_recent_works", limit=works, max_authors=MAX_AUTHORS_PER_WORK),
                "related": rows("topic_related", limit=related)}

    data = db.read_tx(work)
    if data is None:
        raise NotFound(f"No topic with id {topic_id!r}")
    return TopicPage(**data)
