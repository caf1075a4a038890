"""Profile metrics that are not standard bibliometrics: AI share, novelty and the disruption index.

The methods (docs/metrics.md says why each choice was made):

- **AI share** (``ai-share-v1``): a work is AI work when one of its arXiv categories is in
  ``AI_CATEGORIES`` or its OpenAlex primary topic lies under subfield 1702 "Artificial
  Intelligence" (matched by id). A work can be judged when it has an arXiv category or an
  OpenAlex primary topic. The author's value is AI works / judged works.
- **Novelty** (``novelty-v1``, Lee, Walsh & Wang 2015): every paper has one class, its primary
  arXiv category, else the subfield of its OpenAlex primary topic. For the papers published in
  year t, every unordered pair of their references counts once for the pair of the two
  references' classes; ``commonness(i, j, t) = N_ij,t * N_t / (N_i,t * N_j,t)``. A work with at
  least ``MIN_REFERENCES`` classified references in the graph is eligible; it is novel when the
  10th percentile of its reference pairs' commonness is below 1. The author's value is novel
  eligible works / eligible works, shown from ``MIN_ELIGIBLE_WORKS`` eligible works.
- **Disruption** (CD, Funk & Owen-Smith 2017, over all years in the graph): for a paper f with
  references R, n_i papers cite f and none of R, n_j cite f and some of R, n_k cite some of R
  but not f (only papers of f's year or later); ``CD = (n_i - n_j) / (n_i + n_j + n_k)``, for
  papers with at least ``MIN_CD_REFERENCES`` references and ``MIN_CD_CITATIONS`` citing papers.

The pure functions here compute them from plain data; ``loaders.metrics`` runs them over the
graph when data changes and stores the results; the read functions return what is stored.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from graph.db import Graph
from graph.errors import NotFound

AI_SHARE_VERSION = "ai-share-v1"
NOVELTY_VERSION = "novelty-v1"
CD_VERSION = "cd-v1"

AI_CATEGORIES = frozenset({"cs.AI", "cs.LG", "stat.ML", "cs.CL", "cs.CV", "cs.RO", "cs.MA"})
AI_SUBFIELD = "openalex:subfields/1702"
MIN_REFERENCES = 5
MIN_ELIGIBLE_WORKS = 3
NOVELTY_PERCENTILE = 10.0
MIN_CD_REFERENCES = 5
MIN_CD_CITATIONS = 5

Pair = tuple[str, str]


# -- classes -------------------------------------------------------------------------------------

def primary_subfield(top_subfields: Sequence[str | None]) -> str | None:
    """The subfield of a paper's OpenAlex primary topic, from the subfields of its top-scored topics.

    OpenAlex's primary topic is its highest-scored topic; where two topics tie at the top score the
    graph cannot tell which one OpenAlex chose, so the subfield is known only when they agree.
    """
    found = {s for s in top_subfields if s}
    return next(iter(found)) if len(found) == 1 and all(top_subfields) else None


def paper_class(categories: Sequence[str], top_subfields: Sequence[str | None]) -> str | None:
    """The class novelty pairs are made of: ``arxiv:<primary category>``, else the OpenAlex subfield id."""
    if categories:
        return f"arxiv:{categories[0]}"
    return primary_subfield(top_subfields)


def ai_work(categories: Sequence[str], top_subfields: Sequence[str | None]) -> bool | None:
    """True for AI work, False when the work can be judged and is not, None when it cannot be judged."""
    subfield = primary_subfield(top_subfields)
    if any(c in AI_CATEGORIES for c in categories) or subfield == AI_SUBFIELD:
        return True
    if categories or subfield:
        return False
    return None


# -- novelty -------------------------------------------------------------------------------------

def _pair(a: str, b: str) -> Pair:
    return (a, b) if a <= b else (b, a)


def class_pairs(classes: Iterable[str]) -> Counter[Pair]:
    """How many reference pairs of one paper fall on each class pair (every unordered pair of references once)."""
    counts = Counter(classes)
    keys = sorted(counts)
    pairs: Counter[Pair] = Counter()
    for x, a in enumerate(keys):
        if counts[a] > 1:
            pairs[(a, a)] = counts[a] * (counts[a] - 1) // 2
        for b in keys[x + 1:]:
            pairs[(a, b)] = counts[a] * counts[b]
    return pairs


@dataclass
class YearTable:
    """The pair counts of one year: N_ij (``pairs``), N_i (``marginal``), N (``total``)."""

    pairs: Counter[Pair]
    marginal: Counter[str]
    total: int

    def commonness(self, pair: Pair) -> float:
        a, b = pair
        return self.pairs[pair] * self.total / (self.marginal[a] * self.marginal[b])


def year_tables(papers: Iterable[tuple[int | None, Counter[Pair]]]) -> dict[int, YearTable]:
    """Per year, the pair counts over every paper of that year (``(year, class_pairs)`` each)."""
    pairs: dict[int, Counter[Pair]] = defaultdict(Counter)
    for year, counts in papers:
        if year is not None and counts:
            pairs[year].update(counts)
    tables = {}
    for year, counts in pairs.items():
        marginal: Counter[str] = Counter()
        for (a, b), n in counts.items():
            marginal[a] += n
            if b != a:  # a pair of one class includes that class once
                marginal[b] += n
        tables[year] = YearTable(counts, marginal, sum(counts.values()))
    return tables


def weighted_percentile(values: Mapping[float, int], q: float) -> float:
    """The q-th percentile (linear interpolation, as numpy's default) of values given with their counts."""
    items = sorted(values.items())
    size = sum(n for _, n in items)
    rank = q / 100.0 * (size - 1)
    low, high = math.floor(rank), math.ceil(rank)

    def at(index: int) -> float:
        seen = 0
        for value, n in items:
            seen += n
            if index < seen:
                return value
        return items[-1][0]

    lo = at(low)
    return lo + (at(high) - lo) * (rank - low)


@dataclass(frozen=True)
class WorkNovelty:
    """One eligible work: its 10th-percentile commonness, whether that makes it novel, its rarest pair."""

    references: int
    p10: float
    novel: bool
    rarest: Pair
    rarest_commonness: float


def work_novelty(counts: Counter[Pair], references: int, table: YearTable) -> WorkNovelty:
    """The novelty of one work from its class pairs and its year's table (the work's pairs are in it)."""
    by_value: Counter[float] = Counter()
    scored = []
    for pair, n in counts.items():
        value = table.commonness(pair)
        by_value[value] += n
        scored.append((value, pair))
    rarest_value, rarest = min(scored)
    p10 = weighted_percentile(by_value, NOVELTY_PERCENTILE)
    return WorkNovelty(references, p10, p10 < 1.0, rarest, rarest_value)


def novelty(year: Mapping[str, int | None], classes: Mapping[str, str | None],
            references: Mapping[str, Sequence[str]]) -> dict[str, WorkNovelty]:
    """Every eligible paper's novelty. ``year`` and ``classes`` by paper id, ``references`` its cited ids."""
    per_paper: dict[str, tuple[int | None, Counter[Pair], int]] = {}
    for paper, cited in references.items():
        known = [c for c in (classes.get(r) for r in dict.fromkeys(cited)) if c]
        if len(known) >= 2:
            per_paper[paper] = (year.get(paper), class_pairs(known), len(known))
    tables = year_tables((y, counts) for y, counts, _ in per_paper.values())
    return {paper: work_novelty(counts, n, tables[y]) for paper, (y, counts, n) in per_paper.items()
            if y is not None and n >= MIN_REFERENCES}


# -- disruption ----------------------------------------------------------------------------------

def disruption(year: Mapping[str, int | None], references: Mapping[str, Sequence[str]]) -> dict[str, float]:
    """CD of every paper with enough references and citing papers (ids -> value in [-1, 1])."""
    citing: dict[str, set[str]] = defaultdict(set)
    for paper, cited in references.items():
        for ref in cited:
            if ref != paper:
                citing[ref].add(paper)
    out = {}
    for focal, cited in references.items():
        refs = set(cited) - {focal}
        forward = citing.get(focal, set())
        start = year.get(focal)
        if start is None or len(refs) < MIN_CD_REFERENCES or len(forward) < MIN_CD_CITATIONS:
            continue
        of_refs = {c for r in refs for c in citing.get(r, ())
                   if c != focal and (y := year.get(c)) is not None and y >= start}
        n_i = len(forward - of_refs)
        n_j = len(forward & of_refs)
        n_k = len(of_refs - forward)
        out[focal] = (n_i - n_j) / (n_i + n_j + n_k)
    return out


# -- reads ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AiShare:
    """``value`` is None (with ``reason``) when no work can be judged."""

    value: float | None
    works_considered: int
    ai_works: int
    works: int
    version: str
    reason: str | None


@dataclass(frozen=True)
class Novelty:
    """``value`` is None (with ``reason``) below ``MIN_ELIGIBLE_WORKS`` eligible works."""

    value: float | None
    eligible_works: int
    novel_works: int
    works: int
    version: str
    reason: str | None


@dataclass(frozen=True)
class AuthorMetrics:
    ai_share: AiShare
    novelty: Novelty


@dataclass(frozen=True)
class WorkMetrics:
    """What a work's line on the profile shows: its rarest cited pair (names) and its CD, where known."""

    id: str
    novel: bool | None
    p10: float | None
    rarest: tuple[str, str] | None
    rarest_commonness: float | None
    cd: float | None


def author_metrics(db: Graph, author_id: str) -> AuthorMetrics:
    """The stored AI share and novelty of an author; NotFound for an unknown id."""
    row = db.read_one("metrics/author_metrics", id=author_id)
    if row is None:
        raise NotFound(f"No researcher with id {author_id!r}")
    judged = int(row["ai_works_considered"] or 0)
    if row["ai_share"] is None:
        reason = ("none of the works has an arXiv category or an OpenAlex primary topic" if row["works"]
                  else "no works in the graph")
    else:
        reason = None
    share = AiShare(row["ai_share"], judged, int(row["ai_works"] or 0), int(row["works"]), AI_SHARE_VERSION, reason)
    eligible = int(row["novelty_eligible"] or 0)
    why = None if row["novelty"] is not None else (
        f"not enough data: {eligible} work{'s' if eligible != 1 else ''} with at least {MIN_REFERENCES} classified "
        f"references in the graph, at least {MIN_ELIGIBLE_WORKS} needed")
    return AuthorMetrics(share, Novelty(row["novelty"], eligible, int(row["novel_works"] or 0), int(row["works"]),
                                        NOVELTY_VERSION, why))


def work_metrics(db: Graph, paper_ids: Sequence[str]) -> dict[str, WorkMetrics]:
    """The stored novelty and CD of the given papers that have either (id -> metrics)."""
    out = {}
    for r in db.read("metrics/work_metrics", ids=list(paper_ids)):
        rarest = (r["rarest_a"], r["rarest_b"]) if r["rarest_a"] else None
        out[r["id"]] = WorkMetrics(r["id"], r["novel"], r["p10"], rarest, r["rarest_commonness"], r["cd"])
    return out
