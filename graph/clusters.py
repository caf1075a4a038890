"""Whether a profile may hold several people: its works grouped by the evidence that ties them together.

Two works of an author are linked when they share a co-author, an institution of the authorship or a topic;
the clusters are the connected components of that link. Two or more clusters mean parts of the profile share
no co-author, institution or topic with the rest: perhaps one person with two unrelated lines of work,
perhaps two people under one name (issue 11). A work with no evidence at all (a single-author paper without
topics or institution) cannot be placed: it is listed apart and does not count as a cluster, because the
absence of evidence says nothing about who wrote it. For the same reason works whose author list is cut ("et al.",
``Paper.authors_complete`` false: their missing co-authors may be the link) never make a cluster of their own; and
one lone work beside a body of work of at least ``BODY_OF_WORK`` works is not a second person either (every
prolific researcher has a side collaboration): it is listed as a cluster but raises no banner.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Any

from graph.db import Graph
from graph.errors import NotFound

# Co-authors of bigger works are no evidence (the loader's rule too: a collaboration links everyone).
MAX_AUTHORS = 50
# Works read per profile, newest first: the clusters of a merged hub beyond this are not worth the wait.
MAX_WORKS = 2000
EVIDENCE_SHOWN = 10
# A largest cluster of at least this many works makes single-work clusters beside it no sign of a second person.
BODY_OF_WORK = 10
MESSAGE = "These works share no co-authors, institutions or topics with the rest: this profile may hold several " \
          "people."


@dataclass(frozen=True)
class Evidence:
    id: str
    name: str
    works: Annotated[int, "works of the cluster that have it"]


@dataclass(frozen=True)
class ClusterWork:
    id: str
    title: str | None
    year: int | None


@dataclass(frozen=True)
class WorkCluster:
    works: Annotated[list[ClusterWork], "newest first"]
    first_year: int | None
    last_year: int | None
    coauthors: Annotated[list[Evidence], "the most frequent (at most 10)"]
    institutions: Annotated[list[Evidence], "the most frequent (at most 10)"]
    topics: Annotated[list[Evidence], "the most frequent (at most 10)"]


@dataclass(frozen=True)
class Clusters:
    """The works of a profile in clusters of shared co-authors, institutions and topics."""

    author: str
    several_people: Annotated[bool, "two or more clusters: parts of the profile share no evidence"]
    message: Annotated[str | None, "what the profile page says when several_people"]
    works_considered: Annotated[int, f"works read (the newest {MAX_WORKS} at most)"]
    clusters: Annotated[list[WorkCluster], "largest first"]
    unplaced: Annotated[list[ClusterWork], "works in no cluster: no co-author, institution or topic, or a cut "
                                           "author list sharing none with a complete one"]


def _features(row: dict[str, Any]) -> set[tuple[str, str]]:
    return ({("coauthor", c["id"]) for c in row["coauthors"]} | {("institution", i["id"]) for i in row["institutions"]}
            | {("topic", t["id"]) for t in row["topics"]})


def components(features: dict[str, set[tuple[str, str]]]) -> list[list[str]]:
    """Connected components of the items that share a feature (union-find); items without features are left out.
    Each component sorted, the components by size (largest first), then by their first item."""
    parent = {item: item for item, found in features.items() if found}

    def root(item: str) -> str:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    first_with: dict[tuple[str, str], str] = {}
    for item in sorted(parent):
        for feature in features[item]:
            other = first_with.setdefault(feature, item)
            a, b = root(item), root(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[str, list[str]] = {}
    for item in sorted(parent):
        groups.setdefault(root(item), []).append(item)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def clusters_only(groups: list[list[str]], complete: dict[str, bool]) -> list[list[str]]:
    """The components that are clusters: those holding a work with a complete author list. A component of cut
    lists alone is what a cut list looks like (its co-authors are not there to link it), not another person."""
    return [g for g in groups if any(complete[w] for w in g)]


def suspect(sizes: list[int]) -> bool:
    """Whether clusters of these sizes (largest first) suggest several people: two or more, unless all but the
    largest are single works beside a body of work of ``BODY_OF_WORK`` or more."""
    if len(sizes) < 2:
        return False
    return not (sizes[0] >= BODY_OF_WORK and all(size == 1 for size in sizes[1:]))


def _top(rows: list[dict[str, Any]], key: str) -> list[Evidence]:
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for row in rows:
        for item in {e["id"]: e for e in row[key]}.values():
            counts[item["id"]] += 1
            names[item["id"]] = item["name"] or item["id"]
    ranked = sorted(counts, key=lambda k: (-counts[k], names[k], k))[:EVIDENCE_SHOWN]
    return [Evidence(k, names[k], counts[k]) for k in ranked]


def _work(row: dict[str, Any]) -> ClusterWork:
    return ClusterWork(row["id"], row["title"], row["year"])


def _newest_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (-(r["year"] or 0), r["id"]))


def clusters(db: Graph, author_id: str, *, max_works: int = MAX_WORKS) -> Clusters:
    """The author's works in clusters of shared evidence; ``several_people`` when there are two or more."""
    head = db.read_one("author_works_total", id=author_id)
    if not head or not head["found"]:
        raise NotFound(f"No researcher with id {author_id!r}")
    rows = db.read("author_clusters", id=author_id, max_authors=MAX_AUTHORS, limit=max_works)
    by_id = {r["id"]: r for r in rows}
    groups = clusters_only(components({r["id"]: _features(r) for r in rows}), {r["id"]: r["complete"] for r in rows})
    found = []
    for group in groups:
        members = _newest_first([by_id[w] for w in group])
        years = [r["year"] for r in members if r["year"] is not None]
        found.append(WorkCluster(works=[_work(r) for r in members], first_year=min(years, default=None),
                                 last_year=max(years, default=None), coauthors=_top(members, "coauthors"),
                                 institutions=_top(members, "institutions"), topics=_top(members, "topics")))
    placed = {w for g in groups for w in g}
    unplaced = [_work(r) for r in _newest_first([r for r in rows if r["id"] not in placed])]
    several = suspect([len(c.works) for c in found])
    return Clusters(author=author_id, several_people=several, message=MESSAGE if several else None,
                    works_considered=len(rows), clusters=found, unplaced=unplaced)
