"""How two researchers are connected: shortest collaborator paths over COAUTHOR, with the papers behind each hop."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.db import Graph
from graph.errors import NotFound

MAX_HOPS = 6           # the query's own bound (a literal in paths_shortest.cypher)
MAX_K = 10
PAPERS_PER_HOP = 5


@dataclass(frozen=True)
class Person:
    id: str
    name: str


@dataclass(frozen=True)
class JointPaper:
    id: str
    title: str
    year: int | None


@dataclass(frozen=True)
class Hop:
    """One step of a path: two co-authors, how many works they share and the most recent of them."""

    source: Person
    target: Person
    works: int
    papers: list[JointPaper]

    @property
    def more_papers(self) -> int:
        return max(self.works - len(self.papers), 0)


@dataclass(frozen=True)
class Path:
    people: list[Person]
    hops: list[Hop]

    @property
    def length(self) -> int:
        return len(self.hops)


@dataclass
class PathAnswer:
    """The paths found (shortest first, strongest first among equals), or an empty list with ``reason``."""

    source: Person
    target: Person
    max_hops: int
    paths: list[Path] = field(default_factory=list)
    shortest: int | None = None        # hops of a shortest path, even when it is beyond max_hops
    found: int = 0                     # shortest paths seen (the search stops counting at 100)
    reason: str | None = None


def people(db: Graph, ids: list[str]) -> dict[str, Person]:
    """Authors by id (those that exist)."""
    rows = db.read("paths_authors", ids=ids)
    return {r["id"]: Person(r["id"], r["name"] or r["id"]) for r in rows}


def collaborator_paths(db: Graph, from_id: str, to_id: str, *, k: int = 3, max_hops: int = MAX_HOPS,
                       papers_per_hop: int = PAPERS_PER_HOP) -> PathAnswer:
    """Up to ``k`` shortest co-authorship paths from one author to another, at most ``max_hops`` hops.

    Every path returned has the shortest length; with more than ``k`` of them the strongest
    (most joint works summed over the hops) come first. Each hop carries the joint papers (the
    ``papers_per_hop`` most recent) and their count. NotFound for an unknown author id,
    ValueError for bad bounds or the same author twice.
    """
    if not 1 <= k <= MAX_K:
        raise ValueError(f"k must be between 1 and {MAX_K}, got {k}")
    if not 1 <= max_hops <= MAX_HOPS:
        raise ValueError(f"max_hops must be between 1 and {MAX_HOPS}, got {max_hops}")
    if from_id == to_id:
        raise ValueError("from and to are the same researcher")
    known = people(db, [from_id, to_id])
    for author_id in (from_id, to_id):
        if author_id not in known:
            raise NotFound(f"no author has the id {author_id!r}")
    answer = PathAnswer(known[from_id], known[to_id], max_hops)
    row = db.read_one("paths_shortest", **{"from": from_id, "to": to_id, "k": k})
    if not row or row["hops"] is None:
        answer.reason = (f"No collaborator path within {MAX_HOPS} hops between {answer.source.name} "
                         f"and {answer.target.name}.")
        return answer
    answer.shortest, answer.found = row["hops"], row["found"]
    if row["hops"] > max_hops:
        answer.reason = (f"No collaborator path within {max_hops} hop{'s' if max_hops > 1 else ''} between "
                         f"{answer.source.name} and {answer.target.name}: the shortest has {row['hops']} hops.")
        return answer
    pairs = sorted({tuple(sorted(pair)) for p in row["paths"] for pair in zip(p["ids"], p["ids"][1:], strict=False)})
    joint = db.read("paths_joint_papers", pairs=[list(p) for p in pairs], limit=papers_per_hop)
    evidence: dict[tuple[str, ...], dict[str, Any]] = {(r["a"], r["b"]): r for r in joint}
    for p in row["paths"]:
        persons = [Person(i, n or i) for i, n in zip(p["ids"], p["names"], strict=True)]
        hops = []
        for (a, b), works in zip(zip(persons, persons[1:], strict=False), p["works"], strict=True):
            ev = evidence.get(tuple(sorted((a.id, b.id))))
            papers = [JointPaper(x["id"], x["title"] or x["id"], x["year"]) for x in (ev["papers"] if ev else [])]
            # The stored count and the papers found agree after a load; take the larger if they drift.
            hops.append(Hop(a, b, max(works, ev["total"] if ev else 0), papers))
        answer.paths.append(Path(persons, hops))
    return answer
