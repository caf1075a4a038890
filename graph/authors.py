"""A researcher's profile, read from the graph: figures, works, topics, institutions, collaborators.

Citation figures come from the Author node's derived properties (the loaders
keep them in step): a paper's ``cited_by_count`` is the larger of its source's
own count and the citations to it inside the graph; an author's citations are
the sum over their papers and the h-index comes from those per-paper counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from graph.db import Graph
from graph.errors import NotFound
from graph.topics import Link

# A collaborator is "close" from this many joint works on (said on the profile page).
CLOSE_COLLABORATOR_WORKS = 2
MAX_WORKS_LIMIT = 200
MAX_AUTHORS_PER_WORK = 50


@dataclass(frozen=True)
class TopicCount:
    id: str
    name: str
    scheme: str | None
    level: str | None
    works: int


@dataclass(frozen=True)
class Affiliation:
    id: str
    name: str
    country: str | None
    type: str | None
    first_year: int | None
    last_year: int | None
    works: int


@dataclass(frozen=True)
class Collaborator:
    id: str
    name: str
    works: int
    first_year: int | None
    last_year: int | None
    works_count: int

    @property
    def close(self) -> bool:
        return self.works >= CLOSE_COLLABORATOR_WORKS


@dataclass(frozen=True)
class YearCount:
    year: int
    works: int
    citations: Annotated[int, "citations to the works of that year"]


@dataclass(frozen=True)
class Work:
    id: str
    title: str | None
    date: str | None
    year: int | None
    categories: list[str]
    venue: str | None
    type: str | None
    has_code: bool
    code_url: str | None
    abstract: str | None
    doi: str | None
    arxiv_id: str | None
    cited_by_count: int
    authors_complete: bool
    author_count: Annotated[int, "as the source gives it"]
    authors: Annotated[list[Link], "in position order (at most 50)"]
    topics: list[Link]


@dataclass(frozen=True)
class WorksPage:
    total: int
    limit: int
    offset: int
    items: list[Work]


@dataclass(frozen=True)
class Profile:
    """The headline of a profile; ``notes`` say where the data is incomplete."""

    id: str
    name: str
    orcid: str | None
    name_variants: list[str]
    works_count: int
    cited_by_count: int | None  # None: no citation data loaded for any of the works
    h_index: int | None
    topics_count: int
    collaborators_count: int
    close_collaborators_count: int
    incomplete_works: int
    affiliation: Affiliation | None
    notes: list[str] = field(default_factory=list)

    @property
    def has_citation_data(self) -> bool:
        return self.cited_by_count is not None


def works(db: Graph, author_id: str, *, limit: int = 20, offset: int = 0) -> WorksPage:
    """One page of the author's works, newest first, each with its authors in position order."""
    limit = max(1, min(limit, MAX_WORKS_LIMIT))
    offset = max(0, offset)
    head = db.read_one("author_works_total", id=author_id)
    if not head or not head["found"]:
        raise NotFound(f"No researcher with id {author_id!r}")
    rows = db.read("author_works", id=author_id, limit=limit, offset=offset, max_authors=MAX_AUTHORS_PER_WORK)
    items = [Work(**{k: row[k] for k in Work.__dataclass_fields__}) for row in rows]
    return WorksPage(total=head["total"], limit=limit, offset=offset, items=items)


@dataclass(frozen=True)
class FullProfile:
    """Everything ``GET /api/authors/<id>`` and the profile page show, read in one transaction."""

    profile: Profile
    topics: list[TopicCount]
    institutions: list[Affiliation]
    collaborators: list[Collaborator]
    per_year: list[YearCount]


def full_profile(db: Graph, author_id: str, *, topics: int = 10, collaborators: int = 20,
                 institutions: int = 20) -> FullProfile:
    """The profile with its lists, in one query (one round trip: the profile is the most visited page)."""
    row = db.read_one("author_full_profile", id=author_id, close=CLOSE_COLLABORATOR_WORKS, topics=topics,
                      collaborators=collaborators, institutions=institutions)
    if row is None:
        raise NotFound(f"No researcher with id {author_id!r}")
    affiliations = [Affiliation(**r) for r in row["institutions"]]
    return FullProfile(
        profile=_profile_from_row(row, affiliations[0] if affiliations else None),
        topics=[TopicCount(**r) for r in row["topics"]],
        institutions=affiliations,
        collaborators=[Collaborator(**r) for r in row["collaborators"]],
        per_year=_fill_years(row["per_year"]),
    )


def _profile_from_row(row: dict[str, Any], current: Affiliation | None) -> Profile:
    has_citations = bool(row["cited_works"] or row["counted_works"])
    notes = []
    if row["incomplete_works"]:
        notes.append(f"Co-author counts are lower bounds: {row['incomplete_works']} of {row['works_in_graph']} "
                     "works list only the first authors.")
    if not has_citations:
        notes.append("No citation data loaded for these works: citations and h-index are not shown.")
    return Profile(
        id=row["id"], name=row["name"] or row["id"], orcid=row["orcid"], name_variants=list(row["name_variants"]),
        works_count=int(row["works_count"]),
        cited_by_count=int(row["cited_by_count"] or 0) if has_citations else None,
        h_index=int(row["h_index"] or 0) if has_citations else None,
        topics_count=row["topics_count"], collaborators_count=row["collaborators_count"],
        close_collaborators_count=row["close_collaborators_count"], incomplete_works=row["incomplete_works"],
        affiliation=current, notes=notes,
    )


def _fill_years(rows: list[dict[str, Any]]) -> list[YearCount]:
    by_year = {r["year"]: r for r in rows}
    if not by_year:
        return []
    return [YearCount(year=y, works=by_year[y]["works"] if y in by_year else 0,
                      citations=by_year[y]["citations"] if y in by_year else 0)
            for y in range(min(by_year), max(by_year) + 1)]
