"""An institution's page: its people, recent works, partner institutions and topics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

from graph.db import Graph
from graph.errors import NotFound
from graph.queries import query
from graph.topics import RecentWork

MAX_AUTHORS_PER_WORK = 8


# The rows of the page's lists (plain dicts at run time; typed for mypy and the API's OpenAPI document).
class InstitutionAuthor(TypedDict):
    id: str
    name: str
    works: int
    first_year: int | None
    last_year: int | None
    works_count: int


class Partner(TypedDict):
    id: str
    name: str
    country: str | None
    works: int


class InstitutionTopic(TypedDict):
    id: str
    name: str
    works: int


@dataclass(frozen=True)
class InstitutionPage:
    id: str
    name: str
    ror: str | None
    country: str | None
    type: str | None
    authors: int
    works: int
    first_year: int | None
    last_year: int | None
    top_authors: list[InstitutionAuthor]
    recent_works: list[RecentWork]
    partners: list[Partner]
    topics: list[InstitutionTopic]


def institution(db: Graph, institution_id: str, *, authors: int = 15, works: int = 15, partners: int = 12,
                topics: int = 10) -> InstitutionPage:
    """Everything the institution page shows, in one read transaction; NotFound for an unknown id."""

    def work(tx: Any) -> dict[str, Any] | None:
        def rows(name: str, **params: Any) -> list[dict[str, Any]]:
            return [r.data() for r in tx.run(query(name), {"id": institution_id, **params})]

        head = rows("institution_profile")
        if not head:
            return None
        return {**head[0],
                "top_authors": rows("institution_authors", limit=authors),
                "recent_works": rows("institution_recent_works", limit=works, max_authors=MAX_AUTHORS_PER_WORK),
                "partners": rows("institution_partners", limit=partners),
                "topics": rows("institution_slice_topics", limit=topics)}

    data = db.read_tx(work)
    if data is None:
        raise NotFound(f"No institution with id {institution_id!r}")
    return InstitutionPage(**data)
