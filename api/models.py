"""The API's answers where they are more than a ``graph/`` dataclass: a page link, renamed or grouped figures.

Handlers build these and return them; ``api.spec`` writes both the JSON and the OpenAPI schema from them.
Where a ``graph/`` result is the answer as it stands (``WorksPage``, ``GraphCounts``) it is used directly.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal, get_args

from flask import current_app, has_app_context

from accounts.identity import MergeRequestView
from accounts.invitations import InvitationView, ReportView, Watch
from accounts.store import AccountView, ClaimView
from api.spec import described
from graph import authors as graph_authors
from graph import console as graph_console
from graph import metrics as graph_metrics
from graph import neighbourhood as nb
from graph import paths as gp
from graph import recommend as graph_recommend
from graph import search as graph_search
from graph.authors import Affiliation, TopicCount, YearCount
from graph.institutions import InstitutionPage
from graph.paths import JointPaper, Person
from graph.topics import TopicPage
from graph.trust import Component, Penalty, Trust
from views.elements import edge_element, node_element, resize, result_graph
from views.links import entity_href
from views.params import NOT_BLANK


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
    introducers: Annotated[list[graph_recommend.Person], "shared co-authors with the most joint works with both"]
    shared_coauthors: list[graph_recommend.Person]
    shared_topics: list[graph_recommend.Person]

    @classmethod
    def of(cls, r: graph_recommend.Recommendation) -> RecommendationEntry:
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


# -- invitations to collaborate (issue 13; api/invitations.py) --------------------------------------------------
@dataclass(frozen=True)
class InvitationRequest:
    """``POST /api/invitations``: invite the owner of a claimed author."""

    to: Annotated[str, "the Author id of the researcher invited (the invitation goes to the account that owns it)"]
    message: Annotated[str, "plain text, 1 to 1,000 characters; never rendered as HTML"]
    via: Annotated[str | None, "optional: the Author id (one you claimed) whose recommendation this comes from; "
                               "its reasons and warm-introduction path are attached"] = None


@dataclass(frozen=True)
class InvitationDecision:
    """``POST /api/invitations/{id}/accept|decline|block|report``: all fields optional."""

    share_email: Annotated[bool, "accept only: show your address to the sender"] = False
    reason: Annotated[str | None, "report only: what is wrong (at most 1,000 characters)"] = None


@dataclass(frozen=True)
class InvitationBox:
    box: Literal["inbox", "outbox"]
    invitations: list[InvitationView]


@dataclass(frozen=True)
class InviteSettings:
    who: Annotated[Literal["nobody", "followers", "verified", "coauthors2"], "who may invite you"]


@dataclass(frozen=True)
class WatchRequest:
    author: Annotated[str, "the Author id of an unclaimed profile"]


@dataclass(frozen=True)
class Watches:
    watches: list[Watch]


@dataclass(frozen=True)
class InvitationReports:
    reports: list[ReportView]


@dataclass(frozen=True)
class ReportReview:
    reason: Annotated[str, "kept with the review in the audit log"]
# -- neighbourhood slices and paths ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Element:
    """A Cytoscape element (views/elements.py): a node, an edge or a "+N more" marker."""

    data: Annotated[dict[str, Any], "id, label, type, size (nodes; and the node's figures); source, target, "
                                    "type, weight (edges)"]
    classes: str
    position: dict[str, float] | None = described("where the layout put the node", omit_none=True, default=None)

    @classmethod
    def of(cls, element: Mapping[str, Any]) -> Element:
        return cls(**element)


@dataclass(frozen=True)
class MoreEntry:
    node_id: str
    key: Annotated[str, "the expansion: relationship type and direction"]
    neighbour_type: str
    shown: int
    total: int
    omitted: int

    @classmethod
    def of(cls, more: nb.More) -> MoreEntry:
        return cls(more.node_id, more.key, more.neighbour_type, more.shown, more.total, more.omitted)


@dataclass(frozen=True)
class Slice:
    """A slice of the graph in Cytoscape's element shape, and what was left out of it."""

    centre: str | None
    depth: int | None = described(omit_none=True, default=None)
    limit: int | None = described(omit_none=True, default=None)
    nodes: list[Element] = field(default_factory=list)
    edges: list[Element] = field(default_factory=list)
    omitted: dict[str, int] = described("Neighbours of the centre left out, per type", default=None)
    totals: dict[str, int] = field(default_factory=dict)
    more: list[MoreEntry] = field(default_factory=list)
    edges_omitted: int = 0
    unexpanded: list[str] = described("Depth 2: researchers of the first ring whose own neighbourhoods did "
                                      "not fit", default=None)

    @classmethod
    def of(cls, sl: nb.Slice, *, depth: int | None = None, limit: int | None = None) -> Slice:
        nodes = resize([node_element(n, centre=n.id == sl.centre) for n in sl.nodes])
        ids = {n.id for n in sl.nodes}
        edges = [edge_element(e) for e in sl.edges if e.source in ids and e.target in ids]
        return cls(sl.centre, depth, limit, [Element.of(n) for n in nodes], [Element.of(e) for e in edges],
                   sl.omitted, sl.totals, [MoreEntry.of(m) for m in sl.more if m.omitted], sl.edges_omitted,
                   sl.unexpanded)


@dataclass(frozen=True)
class ExpansionCount:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class ExpansionCounts:
    id: str
    type: str
    counts: list[ExpansionCount]


@dataclass(frozen=True)
class PathHop:
    source: str = described(json="from")
    target: str = described(json="to")
    works: int = described("joint works")
    papers: list[JointPaper] = described("the most recent of them")
    more_papers: int = described("joint works not listed")


@dataclass(frozen=True)
class PathEntry:
    length: int
    people: list[Person]
    hops: list[PathHop]


@dataclass(frozen=True)
class PathAnswer:
    """The paths found (shortest first, strongest first among equals), or none with a reason."""

    source: Person = described(json="from")
    target: Person = described("another researcher than from", json="to")
    k: int = described("paths asked for")
    max_hops: int = described("longest path accepted")
    shortest: int | None = described("hops of a shortest path, even beyond max_hops")
    found: int = described("shortest paths seen (counting stops at 100)")
    reason: str | None = described("why there is no path")
    paths: list[PathEntry] = described()

    @classmethod
    def of(cls, answer: gp.PathAnswer, *, k: int) -> PathAnswer:
        return cls(answer.source, answer.target, k, answer.max_hops, answer.shortest, answer.found, answer.reason,
                   [PathEntry(p.length, p.people, [PathHop(h.source.id, h.target.id, h.works, h.papers,
                                                           h.more_papers) for h in p.hops])
                    for p in answer.paths])


# -- the analyst console -------------------------------------------------------------------------------------------
Mode = Literal["run", "explain", "profile"]
Format = Literal["json", "csv"]
if get_args(Mode) != graph_console.MODES:  # pragma: no cover - a reminder when a mode is added
    raise RuntimeError("api.models.Mode must list graph.console.MODES")


def console_limits() -> graph_console.Limits:
    """The console limits of this app (config ``CONSOLE_TIMEOUT``/``CONSOLE_ROW_CAP`` or the environment)."""
    return graph_console.Limits.from_config(current_app.config if has_app_context() else None)


@dataclass(frozen=True)
class CypherRequest:
    """The body of POST /api/cypher; the maxima are this server's limits."""

    extra_keys: ClassVar[bool] = True  # keys it does not know are ignored, as before

    query: str = described("One read-only Cypher statement; values as $parameters", minLength=1,
                           pattern=NOT_BLANK)
    params: dict[str, Any] | None = described("Parameter values", optional=True, default=None)
    mode: Mode | None = described(optional=True, default="run")
    row_cap: int | None = described("At most the server's row cap", optional=True, default=None, minimum=1,
                                    maximum=lambda: console_limits().row_cap)
    timeout: float | None = described("Seconds, at most the server's time limit", optional=True, default=None,
                                      exclusiveMinimum=0, maximum=lambda: console_limits().timeout_s)
    format: Format | None = described(optional=True, default="json")


@dataclass(frozen=True)
class ElementGraph:
    nodes: list[Element]
    edges: list[Element]

    @classmethod
    def of(cls, graph: Mapping[str, list[dict[str, Any]]]) -> ElementGraph:
        return cls([Element.of(e) for e in graph["nodes"]], [Element.of(e) for e in graph["edges"]])


@dataclass(frozen=True)
class CypherResult:
    """What a console query answered; ``graph`` holds its nodes and relationships, cut, sized and laid out."""

    columns: list[str]
    rows: list[list[Any]]
    graph: ElementGraph
    row_count: int
    truncated: bool = described("True when the row cap cut the result")
    elapsed_ms: int = described()
    mode: str = described()
    query_type: str = described("r, rw, w, s as Neo4j's EXPLAIN tells")
    row_cap: int = described()
    plan: dict[str, Any] | None = described("EXPLAIN/PROFILE only: operator tree", omit_none=True)
    notifications: list[dict[str, Any]] = described()
    graph_truncated: bool = described()

    @classmethod
    def of(cls, r: graph_console.ConsoleResult) -> CypherResult:
        return cls(r.columns, r.rows, ElementGraph.of(result_graph(r.graph)), r.row_count, r.truncated,
                   r.elapsed_ms, r.mode, r.query_type, r.row_cap, r.plan, r.notifications, r.graph_truncated)


@dataclass(frozen=True)
class Position:
    line: int
    column: int


@dataclass(frozen=True)
class CypherErrorDetail:
    code: Annotated[str, "refused, bad_query, bad_request, timeout, graph_unavailable"]
    message: str
    position: Position | None = described("where in the query, when Neo4j says", omit_none=True, default=None)


@dataclass(frozen=True)
class CypherError:
    error: CypherErrorDetail


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    description: str
    params: list[graph_console.SavedParam]
    defaults: dict[str, Any]
    columns: list[str]
    query: str

    @classmethod
    def of(cls, q: graph_console.SavedQuery) -> SavedQuery:
        return cls(q.name, q.title, q.description, q.params, q.defaults(), q.columns, q.text)


@dataclass(frozen=True)
class SavedQueries:
    queries: list[SavedQuery]


@dataclass(frozen=True)
class PropertyCount:
    key: str
    count: Annotated[int, "nodes or relationships of the sample with this key"]


@dataclass(frozen=True)
class SchemaItem:
    name: str
    count: int
    properties: list[PropertyCount]

    @classmethod
    def of(cls, e: graph_console.SchemaEntry) -> SchemaItem:
        return cls(e.name, e.count, [PropertyCount(k, n) for k, n in e.properties])


@dataclass(frozen=True)
class GraphSchema:
    labels: list[SchemaItem]
    relationship_types: list[SchemaItem]
    property_sample: Annotated[int, "property keys are counted in this many nodes or relationships of each"]


# -- accounts, claims, trust -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CsrfToken:
    csrf_token: Annotated[str, "send it back as X-CSRF-Token on every POST, PUT, PATCH and DELETE"]


@dataclass(frozen=True)
class StatusMessage:
    status: Annotated[str, "accepted, changed"]
    message: str


@dataclass(frozen=True)
class AccountAnswer:
    account: AccountView


@dataclass(frozen=True)
class AccountSummary(AccountView):
    """The signed-in account, its claims and the researchers it follows."""

    claims: list[ClaimView]
    following: list[str]

    @classmethod
    def of(cls, summary: Mapping[str, Any]) -> AccountSummary:
        return cls(**{**summary, "claims": [ClaimView(**c) for c in summary["claims"]]})


@dataclass(frozen=True)
class ClaimFiled:
    id: int
    status: str
    level: str | None
    evidence: list[dict[str, Any]]


@dataclass(frozen=True)
class ClaimWithdrawn:
    id: int
    status: str
    level: str | None


@dataclass(frozen=True)
class Followers:
    followers: Annotated[int, "accounts following the researcher now"]


TRUST_LABEL = ("confidence in the identity and the record; not a measure of research quality, never a sort order")


@dataclass(frozen=True)
class TrustAnswer:
    """The trust snapshot: the components' points and the penalties add up to the score."""

    author: str
    score: int
    band: str
    version: str
    data_date: str | None
    level: str
    label: str
    components: list[Component]
    penalties: list[Penalty]
    notes: list[str]

    @classmethod
    def of(cls, t: Trust) -> TrustAnswer:
        return cls(t.author_id, t.score, t.band, t.version, t.data_date, t.level, TRUST_LABEL, t.components,
                   t.penalties, t.notes)


@dataclass(frozen=True)
class ClaimList:
    claims: list[ClaimView]


@dataclass(frozen=True)
class Body:
    """Request bodies: the handlers check each key and say what is wrong; keys they do not know are ignored."""

    extra_keys: ClassVar[bool] = True


@dataclass(frozen=True)
class RegisterBody(Body):
    email: str
    password: str
    name: str


@dataclass(frozen=True)
class LoginBody(Body):
    email: str
    password: str


@dataclass(frozen=True)
class EmailBody(Body):
    email: str


@dataclass(frozen=True)
class TokenBody(Body):
    token: Annotated[str, "from the mailed link"]


@dataclass(frozen=True)
class ResetConfirmBody(Body):
    token: Annotated[str, "from the mailed link"]
    password: str


@dataclass(frozen=True)
class PasswordChangeBody(Body):
    current_password: str
    new_password: str


@dataclass(frozen=True)
class DecisionBody(Body):
    decision: Literal["approve", "reject", "revoke"]
    reason: str


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
