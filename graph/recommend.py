"""Who a researcher could work with: friends of friends (Adamic-Adar) and people on the same topics.

Friends of friends are ranked by Adamic-Adar over COAUTHOR: the sum, over the
co-authors z they share with the researcher, of 1 / log(degree(z)); a shared
co-author with few collaborators says more than a prolific hub. People on the
same topics (not already co-authors) come next, weighted so that big topics
count less. Each recommendation says why, and who could introduce them: the
shared co-authors with the most joint works with both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.db import Graph
from graph.errors import NotFound
from graph.queries import query

MAX_LIMIT = 50
TOPICS_LOOKED_AT = 8
PAPERS_PER_TOPIC = 500
INTRODUCERS = 3
NAMES_IN_REASON = 3


@dataclass(frozen=True)
class Person:
    id: str
    name: str


@dataclass(frozen=True)
class Recommendation:
    """A person to talk to, with the score's parts, the reasons in words, and who could introduce them."""

    id: str
    name: str
    works_count: int
    adamic_adar: float
    topic_score: float
    shared_coauthors: list[Person] = field(default_factory=list)
    shared_topics: list[Person] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    introducers: list[Person] = field(default_factory=list)


def recommendations(db: Graph, author_id: str, *, limit: int = 10) -> list[Recommendation]:
    """Up to ``limit`` people for ``author_id``: friends of friends by Adamic-Adar first, then topic peers."""
    limit = max(1, min(limit, MAX_LIMIT))

    def work(tx: Any) -> dict[str, list[dict[str, Any]]] | None:
        head = tx.run(query("author_works_total"), {"id": author_id}).single()
        if head is None or not head["found"]:
            return None
        fof = [r.data() for r in tx.run(query("recommend_coauthors"), {"id": author_id, "limit": limit})]
        peers = [r.data() for r in tx.run(query("recommend_topics"), {
            "id": author_id, "topics": TOPICS_LOOKED_AT, "papers": PAPERS_PER_TOPIC, "limit": limit * 2})]
        return {"fof": fof, "peers": peers}

    data = db.read_tx(work)
    if data is None:
        raise NotFound(f"No researcher with id {author_id!r}")
    return combine(data["fof"], data["peers"], limit=limit)


def combine(fof: list[dict[str, Any]], peers: list[dict[str, Any]], *, limit: int) -> list[Recommendation]:
    """Merge the two candidate lists (rows of the two queries) into ranked recommendations with reasons."""
    topics_of = {row["id"]: row for row in peers}
    out: list[Recommendation] = []
    for row in fof:
        peer = topics_of.pop(row["id"], None)
        out.append(_recommendation(row, peer))
    for row in peers:
        if row["id"] in topics_of:
            out.append(_recommendation(None, row))
    out.sort(key=lambda r: (-round(r.adamic_adar, 9), -round(r.topic_score, 9), r.name, r.id))
    return out[:limit]


def _recommendation(fof: dict[str, Any] | None, peer: dict[str, Any] | None) -> Recommendation:
    base = fof or peer
    assert base is not None
    reasons: list[str] = []
    shared: list[dict[str, Any]] = []
    introducers: list[Person] = []
    if fof:
        shared = sorted(fof["shared"], key=lambda z: (-min(z["with_author"], z["with_candidate"]),
                                                      -(z["with_author"] + z["with_candidate"]), z["name"], z["id"]))
        names = ", ".join(z["name"] for z in shared[:NAMES_IN_REASON])
        more = f" and {len(shared) - NAMES_IN_REASON} more" if len(shared) > NAMES_IN_REASON else ""
        reasons.append(f"{len(shared)} shared co-author{'s' if len(shared) != 1 else ''}: {names}{more}")
        introducers = [Person(z["id"], z["name"]) for z in shared[:INTRODUCERS]]
    topics: list[dict[str, Any]] = []
    if peer:
        topics = sorted(peer["shared"], key=lambda t: (-min(t["mine"], t["theirs"]), t["id"]))
        reasons.append("both work on " + _and([_topic_label(t) for t in topics[:NAMES_IN_REASON]]))
    return Recommendation(
        id=base["id"], name=base["name"], works_count=base["works_count"],
        adamic_adar=float(fof["adamic_adar"]) if fof else 0.0,
        topic_score=float(peer["topic_score"]) if peer else 0.0,
        shared_coauthors=[Person(z["id"], z["name"]) for z in shared],
        shared_topics=[Person(t["id"], t["name"]) for t in topics],
        reasons=reasons, introducers=introducers,
    )


def _topic_label(topic: dict[str, Any]) -> str:
    """arXiv categories by their code ("cs.LG"), other topics by name."""
    if topic.get("scheme") == "arxiv" and topic["id"].startswith("arxiv:"):
        return str(topic["id"]).removeprefix("arxiv:")
    return str(topic["name"])


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
