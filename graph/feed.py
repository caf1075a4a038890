"""The graph side of the feed: what the graph holds about followed authors, and what changed across a load.

``snapshot`` reads, for the followed authors only, the facts a feed event can be about; ``distances`` reads
the collaboration distance from each verified owner to each author they follow. ``changes`` compares two
snapshots and returns the events, each naming its evidence. Nothing here knows who follows whom: the caller
(``accounts/feed.py``) hands in author ids and owner/followed pairs and keeps the events in the account store.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from graph.db import Graph

TOP_TOPICS = 5
# shortestPath takes its bound as a literal (cypher/feed/distances.cypher says 4); this is what counts as "near".
MAX_HOPS = 4
# A load can add hundreds of citing papers: the event counts them all and names this many.
CITING_SHOWN = 10

EventType = Literal["new_work", "new_coauthor", "new_citations", "affiliation_change", "top_topic", "new_path"]
EVENT_TYPES: tuple[EventType, ...] = ("new_work", "new_coauthor", "new_citations", "affiliation_change",
                                      "top_topic", "new_path")


@dataclass(frozen=True)
class AuthorFacts:
    """What the feed compares for one author (dicts keyed by id, as ``cypher/feed/snapshot.cypher`` returns)."""

    id: str
    name: str = ""
    works: dict[str, dict[str, Any]] = field(default_factory=dict)
    coauthors: dict[str, dict[str, Any]] = field(default_factory=dict)
    citing: dict[str, dict[str, Any]] = field(default_factory=dict)
    institutions: dict[str, dict[str, Any]] = field(default_factory=dict)
    topics: list[dict[str, Any]] = field(default_factory=list)  # the top five, best first


@dataclass(frozen=True)
class Distance:
    owner: str
    followed: str
    hops: int | None  # None: not connected within MAX_HOPS
    path: list[dict[str, Any]]


@dataclass(frozen=True)
class Change:
    """One feed event before it is stored: ``key`` makes it unique (a re-run of the same load adds nothing)."""

    type: EventType
    author_id: str
    key: str
    date: str | None
    evidence: dict[str, Any]
    owner: str | None = None  # new_path only: the owner's Author id
    author_name: str = ""


def _by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


def snapshot(db: Graph, author_ids: list[str]) -> dict[str, AuthorFacts]:
    """The facts of each author in ``author_ids`` that is in the graph (absent ones are left out)."""
    if not author_ids:
        return {}
    rows = db.read("feed/snapshot", ids=sorted(set(author_ids)), top=TOP_TOPICS)
    return {r["id"]: AuthorFacts(r["id"], r["name"], _by_id(r["works"]), _by_id(r["coauthors"]), _by_id(r["citing"]),
                                 _by_id(r["institutions"]), list(r["topics"])) for r in rows}


def distances(db: Graph, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], Distance]:
    """The distance of each (owner author, followed author) pair present in the graph."""
    if not pairs:
        return {}
    rows = db.read("feed/distances", pairs=[{"owner": o, "followed": f} for o, f in sorted(set(pairs))],
                   max_hops=MAX_HOPS)
    return {(r["owner"], r["followed"]): Distance(r["owner"], r["followed"], r["hops"], r["path"]) for r in rows}


def _digest(ids: list[str]) -> str:
    return hashlib.sha256("\n".join(ids).encode()).hexdigest()[:32]


def _date(paper: dict[str, Any]) -> str | None:
    return paper.get("date") or (str(paper["year"]) if paper.get("year") is not None else None)


def _paper(paper: dict[str, Any]) -> dict[str, Any]:
    return {"id": paper["id"], "title": paper.get("title"), "date": _date(paper)}


def changes(before: dict[str, AuthorFacts], after: dict[str, AuthorFacts], *,
            distances_before: dict[tuple[str, str], Distance] | None = None,
            distances_after: dict[tuple[str, str], Distance] | None = None) -> list[Change]:
    """The events between two snapshots. An author absent before has no baseline: nothing is reported for them
    (a first load of an author would otherwise report every work they ever wrote)."""
    out: list[Change] = []
    for author_id, now in sorted(after.items()):
        was = before.get(author_id)
        if was is None:
            continue
        new_works = sorted(set(now.works) - set(was.works))
        for paper_id in new_works:
            paper = now.works[paper_id]
            out.append(Change("new_work", author_id, f"new_work:{author_id}:{paper_id}", _date(paper),
                              {"paper": _paper(paper)}))
        for coauthor_id in sorted(set(now.coauthors) - set(was.coauthors)):
            person = now.coauthors[coauthor_id]
            out.append(Change("new_coauthor", author_id, f"new_coauthor:{author_id}:{coauthor_id}",
                              None, {"coauthor": {"id": coauthor_id, "name": person.get("name")}}))
        citing = sorted(set(now.citing) - set(was.citing))
        if citing:
            papers = sorted((now.citing[c] for c in citing), key=lambda p: (_date(p) or "", p["id"]), reverse=True)
            out.append(Change("new_citations", author_id, f"new_citations:{author_id}:{_digest(citing)}",
                              _date(papers[0]), {"count": len(citing), "citing": [
                                  {**_paper(p), "cites": p.get("cited")} for p in papers[:CITING_SHOWN]]}))
        for inst_id in sorted(set(now.institutions) - set(was.institutions)):
            inst = now.institutions[inst_id]
            year = inst.get("last_year")
            out.append(Change("affiliation_change", author_id, f"affiliation_change:{author_id}:{inst_id}",
                              str(year) if year is not None else None,
                              {"institution": {"id": inst_id, "name": inst.get("name"),
                                               "first_year": inst.get("first_year"), "last_year": year},
                               "previous": [{"id": i, "name": v.get("name")} for i, v in sorted(
                                   was.institutions.items())]}))
        old_top = {t["id"] for t in was.topics}
        for rank, topic in enumerate(now.topics, start=1):
            if topic["id"] not in old_top:
                out.append(Change("top_topic", author_id, f"top_topic:{author_id}:{topic['id']}", None,
                                  {"topic": {"id": topic["id"], "name": topic.get("name")}, "rank": rank}))
    for pair, now_d in sorted((distances_after or {}).items()):
        was_d = (distances_before or {}).get(pair)
        if was_d is None or now_d.hops is None:
            continue  # no baseline (an author not loaded before), or still not connected
        if was_d.hops is None or now_d.hops < was_d.hops:
            owner, followed = pair
            out.append(Change("new_path", followed, f"new_path:{owner}:{followed}:{now_d.hops}", None,
                              {"hops": now_d.hops, "hops_before": was_d.hops, "path": now_d.path}, owner=owner))
    return [replace(c, author_name=after[c.author_id].name if c.author_id in after else c.author_id) for c in out]
