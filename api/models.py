"""The API's answers where they are more than a ``graph/`` dataclass: a page link, renamed or grouped figures.

Handlers build these and return them; ``api.spec`` writes both the JSON and the OpenAPI schema from them.
Where a ``graph/`` result is the answer as it stands (``WorksPage``, ``GraphCounts``) it is used directly.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, get_args

from accounts.identity import MergeRequestView
from graph import authors as graph_authors
from graph import metrics as graph_metrics
from graph import search as graph_search
from graph.authors import Affiliation, TopicCount, YearCount
from graph.institutions import InstitutionPage
from graph.recommend import Person, Recommendation
from graph.topics import TopicPage
from views.links import entity_href


@dataclass(frozen=True)
class Health:
    status: str


# -- search ------------------------------------------------------------------------------------------------------
HitType = Literal["author", "paper", "topic", "institution"]
if set(get_args(HitType)) != set(graph_search.TYPES):  # pragma: no cover - a reminder when a type is added
    raise RuntimeError("api.models.HitType must list graph.search.TYPES")


@dataclass(frozen=True)
class SearchHit:
    id: str
    type: HitType
    label: str
    detail: Annotated[str | None, "works and affiliation, year and first author..."]
    score: Annotated[float, "relevance (Lucene score, weighted per type)"]
    url: Annotated[str, "the page of this entity in the web app"]

    @classmethod
    def of(cls, hit: graph_search.Hit) -> SearchHit:
        return cls(hit.id, hit.type, hit.label, hit.detail, round(hit.score, 4),  # type: ignore[arg-type]
                   entity_href(hit.type, hit.id))


@dataclass(frozen=True)
class SearchResults:
    query: str
    type: str | None
    results: list[SearchHit]


# -- authors -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AuthorCounts:
    works: int
    citations: Annotated[int | None, "sum over the works of max(source count, in-graph citations); null when "
                                     "no citation data is loaded"]
    h_index: Annotated[int | None, "null when no citation data"]
    topics: int
    collaborators: int
    close_collaborators: Annotated[int, "co-authors with at least close_collaborator_works joint works"]
    incomplete_works: Annotated[int, "works whose author list was cut short"]


@dataclass(frozen=True)
class CollaboratorEntry:
    id: str
    name: str
    works: Annotated[int, "joint works"]
    first_year: int | None
    last_year: int | None
    works_count: int
    close: bool


@dataclass(frozen=True)
class AiShare:
    value: Annotated[float | None, "a share in [0, 1]; null when there is not enough data"]
    works_considered: Annotated[int, "works with an arXiv category or an OpenAlex primary topic"]
    ai_works: int
    version: Annotated[str, "the method (README, Profile metrics)"]
    reason: Annotated[str | None, "why value is null"]


@dataclass(frozen=True)
class Novelty:
    value: Annotated[float | None, "a share in [0, 1]; null when there is not enough data"]
    eligible_works: Annotated[int, "works with at least 5 classified references in the graph"]
    novel_works: int
    version: Annotated[str, "the method (README, Profile metrics)"]
    reason: Annotated[str | None, "why value is null"]


@dataclass(frozen=True)
class ClaimInfo:
    status: Literal["unclaimed", "pending", "claimed", "disputed"]


@dataclass(frozen=True)
class VerificationInfo:
    level: Literal["L0", "L1", "L2", "L3"]
    evidence: Annotated[list[dict[str, Any]], "what the level rests on (iDs, institutions, decisions)"]


@dataclass(frozen=True)
class TrustSummary:
    score: Annotated[int, "0-100; GET /api/authors/{id}/trust has the breakdown"]
    band: str
    version: str


@dataclass(frozen=True)
class AuthorProfile:
    """A researcher's profile: counts, citations, h-index, topics, institutions, collaborators, works per year."""

    id: str
    name: str
    orcid: str | None
    name_variants: list[str]
    url: Annotated[str, "the profile page"]
    affiliation: Annotated[Affiliation | None, "the institution of the latest year, null when none is known"]
    counts: AuthorCounts
    close_collaborator_works: int
    notes: Annotated[list[str], "where the data is incomplete, in words"]
    topics: list[TopicCount]
    institutions: list[Affiliation]
    collaborators: list[CollaboratorEntry]
    works_per_year: list[YearCount]
    ai_share: AiShare
    novelty: Novelty
    claim: ClaimInfo
    verification: VerificationInfo
    followers: Annotated[int, "accounts following this researcher"]
    trust: TrustSummary

    @classmethod
    def of(cls, full: graph_authors.FullProfile, metrics: graph_metrics.AuthorMetrics,
           account: dict[str, Any]) -> AuthorProfile:
        p = full.profile
        ai, nov = metrics.ai_share, metrics.novelty
        return cls(
            id=p.id, name=p.name, orcid=p.orcid, name_variants=p.name_variants, url=entity_href("author", p.id),
            affiliation=p.affiliation,
            counts=AuthorCounts(works=p.works_count, citations=p.cited_by_count, h_index=p.h_index,
                                topics=p.topics_count, collaborators=p.collaborators_count,
                                close_collaborators=p.close_collaborators_count,
                                incomplete_works=p.incomplete_works),
            close_collaborator_works=graph_authors.CLOSE_COLLABORATOR_WORKS, notes=p.notes,
            topics=full.topics, institutions=full.institutions,
            collaborators=[CollaboratorEntry(c.id, c.name, c.works, c.first_year, c.last_year, c.works_count,
                                             c.close) for c in full.collaborators],
            works_per_year=full.per_year,
            ai_share=AiShare(ai.value, ai.works_considered, ai.ai_works, ai.version, ai.reason),
            novelty=Novelty(nov.value, nov.eligible_works, nov.novel_works, nov.version, nov.reason),
            claim=ClaimInfo(account["claim"]["status"]),
            verification=VerificationInfo(account["verification"]["level"], account["verification"]["evidence"]),
            followers=account["followers"],
            trust=TrustSummary(**account["trust"]),
        )


@dataclass(frozen=True)
class RecommendationEntry:
    id: str
    name: str
    url: str
    works_count: int
    adamic_adar: Annotated[float, "sum over shared co-authors z of 1/log(degree(z))"]
    topic_score: Annotated[float, "sum over shared topics t of min(works on t) / log(2 + papers on t)"]
    reasons: list[str]
    introducers: Annotated[list[Person], "shared co-authors with the most joint works with both"]
    shared_coauthors: list[Person]
    shared_topics: list[Person]

    @classmethod
    def of(cls, r: Recommendation) -> RecommendationEntry:
        return cls(r.id, r.name, entity_href("author", r.id), r.works_count, round(r.adamic_adar, 6),
                   round(r.topic_score, 6), r.reasons, r.introducers, r.shared_coauthors, r.shared_topics)


@dataclass(frozen=True)
class Recommendations:
    author: str
    items: list[RecommendationEntry]


# -- topic and institution pages ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Topic(TopicPage):
    """A topic: hierarchy, top authors, recent works, related topics."""

    url: str

    @classmethod
    def of(cls, page: TopicPage) -> Topic:
        return cls(**_values(page), url=entity_href("topic", page.id))


@dataclass(frozen=True)
class Institution(InstitutionPage):
    """An institution: authors, recent works, partner institutions, topics."""

    url: str

    @classmethod
    def of(cls, page: InstitutionPage) -> Institution:
        return cls(**_values(page), url=entity_href("institution", page.id))


def _values(obj: object) -> dict[str, Any]:
    """A dataclass's fields, shallow (``asdict`` would copy every nested row)."""
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}  # type: ignore[arg-type]


# -- identity corrections (issue 11) ----------------------------------------------------------------------------
@dataclass(frozen=True)
class SplitRequest:
    papers: Annotated[list[str], "Paper ids of this author's works that belong to another person"]


@dataclass(frozen=True)
class SplitAnswer:
    author: Annotated[str, "the author the works were taken from"]
    person: Annotated[str | None, "the new person's id; null when these works had been split off before"]
    moved: Annotated[int, "authorships moved"]
    url: Annotated[str | None, "the new person's page"]
    message: str


@dataclass(frozen=True)
class MergeInto:
    into: Annotated[str, "the author id that stays; the author of the URL is merged away into it"]


@dataclass(frozen=True)
class MergeAnswer:
    author: Annotated[str, "the id merged away: it now redirects (301) to survivor"]
    survivor: Annotated[str, "where it leads: into, or the end of into's own merges"]
    moved: Annotated[int, "authorships moved (0 when it was merged before)"]
    already: Annotated[bool, "the same merge had been made before: nothing changed"]
    url: Annotated[str, "the survivor's page"]
    message: str


@dataclass(frozen=True)
class MergeAsk:
    source: Annotated[str, "the author id to merge into the profile of the URL (the requester's own)"] = field(
        metadata={"json": "from"})
    note: Annotated[str | None, "why they are one person, for the admin"] = None


@dataclass(frozen=True)
class MergeDecision:
    decision: Literal["approve", "reject"]
    reason: Annotated[str, "kept with the decision"]


@dataclass(frozen=True)
class MergeRequests:
    requests: list[MergeRequestView]


@dataclass(frozen=True)
class MergeDecided:
    request: MergeRequestView
    merge: Annotated[MergeAnswer | None, "the merge made (approve), null when rejected"]
