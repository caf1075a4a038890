"""A topic's page: where it sits in its hierarchy, its top authors, recent works and related topics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, TypedDict

from graph.db import Graph
from graph.errors import NotFound
from graph.queries import query

MAX_AUTHORS_PER_WORK = 8


# The rows of the page's lists (plain dicts at run time; typed for mypy and the API's OpenAPI document).
class Link(TypedDict):
    id: str
    name: str


class TopicParent(TypedDict):
    id: str
    name: str
    level: str | None


class TopicChild(TypedDict):
    id: str
    name: str
    level: str | None
    works: int


class TopicAuthor(TypedDict):
    id: str
    name: str
    works: int
    works_count: int


class RecentWork(TypedDict):
    id: str
    title: str | None
    date: str | None
    year: int | None
    venue: str | None
    categories: list[str]
    authors: list[Link]
    author_count: int
    authors_complete: bool


class RelatedTopic(TypedDict):
    id: str
    name: str
    scheme: str | None
    level: str | None
    works: int


@dataclass(frozen=True)
class TopicPage:
    id: str
    name: str
    scheme: str | None
    level: str | None
    works: Annotated[int, "works about it or its narrower topics"]
    parents: list[TopicParent]
    children: list[TopicChild]
    children_count: int
    top_authors: list[TopicAuthor]
    recent_works: list[RecentWork]
    related: list[RelatedTopic]


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
