"""Author disambiguation for name-only authorships: which bylines are one person (pure, no database).

A name-only byline ("T. D. Cohen", "Taco S. Cohen") used to be the person
``name:<last>_<first initial>``. Here that key is only the *block*: the people
who could be behind the byline. Within a block:

* hard cannot-links: two authorships of one paper are never one person; given
  names must be compatible (Taco / Thomas, Jian / Jun and a full name against a
  different spelling are not; "T." fits "Taco"; disjoint middle initials do not fit);
  two different ORCIDs are two people;
* merges need evidence besides the name: shared co-authors (by their own block),
  shared institutions, ORCID, shared venues and topics, and the same full given
  name (more with a shared distinctive title word); years far apart count against.
  A cluster whose bylines are all initials ("J. Li") attaches only to a clearly
  best candidate, which may be the one
  full-named person of the block that fits it and shares a topic or a title word
  (in a rare surname's block: that fits it), when its years lie inside that
  person's (``_sole``: weaker evidence); the same full name counts
  for more in a block of few names ("Geiger, M.") than in a crowded one ("Li, J.");
* deterministic: mentions are sorted by (paper, position) and clusters merged in
  score order with ties broken by their smallest member, so the same input in
  any order gives the same people.

People already in the graph enter as fixed clusters (``Person``): new bylines
attach to them, two of them are never merged here (their ids are stable), and a
new cluster gets a new id from ``new_id``. See docs/identity.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from operator import attrgetter, itemgetter

from loaders.names import NOT_ALNUM, fold, split_name

# Score a pair of clusters must reach to merge (see ``_score``), and the margin by which an
# initials-only cluster's best candidate must beat its second best.
THRESHOLD = 3.0
INITIALS_THRESHOLD = 3.0
INITIALS_MARGIN = 1.5
# What the same full given name is worth, by the number of distinct full names in the block
# (index 0 and 1: one name; the last entry for every larger block).
NAME_BONUS = (3.0, 3.0, 3.0, 3.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5,
              1.5, 1.5, 1.0)
LONE_NAME_BONUS = 2.0
# Blocks with more distinct full names than this ask for more evidence.
COMMON_DIVERSITY = 20
COMMON_EXTRA = 0.5
# At most this many merge rounds per block (each round merges on the profiles grown by the last).
MAX_ROUNDS = 6
# An initials-only cluster and the ONE full-named cluster of its block that its names fit and that shares a topic
# with it (``_sole``): weaker evidence counts, as there is nobody else named in full it could be. SOLE_BONUS for being
# that one (not on top of LONE_NAME_BONUS, which says the same of a block of one full name), SPAN_BONUS when its
# years lie inside the other's active years (give or take SPAN_SLACK); with the shared topic's 0.75 that is 3.
SOLE_BONUS = 1.5
SPAN_BONUS = 0.75
SPAN_SLACK = 2
# A distinctive title word shared by such a pair (``loaders.people.title_words``; words of more than 1.5 % of a large
# load's papers are left out) ties it like a shared topic, and counts as much.
WORDS_BONUS = 0.75
# A surname the graph and the load know under at most RARE_BLOCKS first initials ("Sherifali", not "Khan") is a
# rare one: the one full-named person of its block that fits an initials-only cluster is then its candidate even
# without a shared topic or word, and the pair gets RARE_BONUS (the converse of a common name needing more).
RARE_BLOCKS = 2
RARE_BONUS = 1.5
# Two clusters of the same full given name ("Stephanie Norris" twice) that share a distinctive title word get
# NAME_WORDS_BONUS more, what a shared venue is worth (more shared words measured no better). Not for other pairs:
# an initials-only byline has its own, stricter weak evidence (``_weak``).
NAME_WORDS_BONUS = 1.0
# Features shared by more clusters than this are too common to propose pairs (scores still count them).
MAX_POSTING = 400


@dataclass(frozen=True)
class GivenName:
    """A folded given name as tokens: a full name ("taco") or an initial ("t"), in byline order."""

    tokens: tuple[str, ...]
    # Derived once from the tokens (the clustering asks millions of times): all initials; the first token; the
    # full given name with spacing and hyphens removed ("xiaoming" for "Xiao-Ming"), None for initials.
    initials_only: bool = field(init=False, repr=False, compare=False)
    first: str = field(init=False, repr=False, compare=False)
    full: str | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        tokens = self.tokens
        object.__setattr__(self, "initials_only", all(len(t) == 1 for t in tokens))
        object.__setattr__(self, "first", tokens[0] if tokens else "")
        object.__setattr__(self, "full", None if not tokens or len(tokens[0]) == 1
                           else "".join(t for t in tokens if len(t) > 1))


def given_name(first: str) -> GivenName:
    """The given-name part of a byline as a ``GivenName`` ("T.D." -> t, d; "Jean-Pierre" -> jean, pierre)."""
    text = fold(first)
    return GivenName(tuple(t for t in NOT_ALNUM.split(text) if t and not t.isdigit()))


def byline_given(byline: str) -> GivenName:
    """The ``GivenName`` of a whole byline ("Taco S. Cohen" -> taco, s)."""
    return given_name(split_name(byline)[1])


def compatible(a: GivenName, b: GivenName) -> bool:
    """Whether two given names of one block can be one person (memoised: a block asks about the same few
    names again and again).

    Full first names must agree, or agree once spacing and hyphens go ("Xiao-Ming" and
    "Xiaoming"); an initial fits any name with that letter; middle parts must not differ
    when both have some (T. D. Cohen is not Taco S. Cohen): their initials must agree,
    and two full middle names must be equal.
    """
    return _compatible(a, b)


@lru_cache(maxsize=1 << 16)
def _compatible(a: GivenName, b: GivenName) -> bool:
    if not a.tokens or not b.tokens:
        return True
    if a.first[0] != b.first[0]:
        return False
    fa, fb = a.full, b.full
    if fa is not None and fb is not None and a.first != b.first:
        return fa == fb
    ma, mb = a.tokens[1:], b.tokens[1:]
    if ma and mb:
        if ma[0][0] != mb[0][0]:
            return False
        if len(ma[0]) > 1 and len(mb[0]) > 1 and ma[0] != mb[0]:
            return False
    return True


@dataclass(frozen=True)
class Mention:
    """One name-only authorship: its block, name and the evidence its paper gives."""

    ref: int  # the caller's index of this authorship
    block: str
    given: GivenName
    paper: str
    position: int
    coauthors: frozenset[str] = frozenset()  # blocks (or ids) of the other authors of the paper
    institutions: frozenset[str] = frozenset()
    orcid: str | None = None
    topics: frozenset[str] = frozenset()
    venue: str | None = None
    year: int | None = None
    record: int = 0  # the caller's index of the record (a paper given twice is two records)
    words: frozenset[str] = frozenset()  # the title's distinctive words (``loaders.people.title_words``)


@dataclass(frozen=True)
class Person:
    """A person of the block already in the graph, with the evidence their papers give."""

    id: str
    block: str
    names: frozenset[GivenName]
    papers: frozenset[str] = frozenset()
    coauthors: frozenset[str] = frozenset()
    institutions: frozenset[str] = frozenset()
    orcids: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    venues: frozenset[str] = frozenset()
    years: tuple[int, int] | None = None
    # Decisions stored by a split or merge: bylines that must never be this person.
    excluded: frozenset[str] = frozenset()
    # Merged away (identity merge): the survivor its bylines go to (``loaders.people.follow_merges``).
    merged_into: str | None = None
    # (paper, position) of each of its authorships: a byline of a known paper is this person only at its seat.
    seats: frozenset[tuple[str, int]] = frozenset()
    words: frozenset[str] = frozenset()  # its papers' title words (``loaders.people.title_words``)


# Slots: the clustering reads a cluster's sets millions of times, and slot access is the cheaper.
@dataclass(slots=True)
class _Cluster:
    key: tuple[str, int]
    person: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    names: set[GivenName] = field(default_factory=set)
    papers: set[str] = field(default_factory=set)
    coauthors: set[str] = field(default_factory=set)
    institutions: set[str] = field(default_factory=set)
    orcids: set[str] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)
    venues: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    ymin: int | None = None
    ymax: int | None = None
    # Kept up to date with ``names`` (asked for every pair scored): whether every name is initials only, and
    # the full given names. Given by the two makers below (a cluster is made for every byline: no __post_init__).
    initials_only: bool = True
    fulls: set[str] = field(default_factory=set)
    # Bumped by every absorb: a pair's score is kept while neither side changes (``_round``).
    version: int = 0

    def absorb(self, other: _Cluster) -> None:
        self.mentions.extend(other.mentions)
        self.person = self.person or other.person
        self.key = min(self.key, other.key)
        self.names.update(other.names)
        self.papers.update(other.papers)
        self.coauthors.update(other.coauthors)
        self.institutions.update(other.institutions)
        self.orcids.update(other.orcids)
        self.topics.update(other.topics)
        self.venues.update(other.venues)
        self.words.update(other.words)
        self.fulls.update(other.fulls)
        self.initials_only = self.initials_only and other.initials_only
        for year in (other.ymin, other.ymax):
            self._year(year)
        self.version += 1

    def _year(self, year: int | None) -> None:
        if year is None:
            return
        self.ymin = year if self.ymin is None else min(self.ymin, year)
        self.ymax = year if self.ymax is None else max(self.ymax, year)


def _from_mention(m: Mention, common: frozenset[str] = frozenset()) -> _Cluster:
    given = m.given
    c = _Cluster(key=(m.paper, m.position), mentions=[m], names={given}, papers={m.paper},
                 coauthors=set(m.coauthors), institutions=set(m.institutions),
                 orcids={m.orcid} if m.orcid else set(), topics=set(m.topics), venues={m.venue} if m.venue else set(),
                 words=set(m.words) - common if common else set(m.words),
                 initials_only=given.initials_only, fulls={given.full} if given.full else set())
    c._year(m.year)
    return c


def _from_person(p: Person, common: frozenset[str] = frozenset()) -> _Cluster:
    # Known people sort before every new cluster ("\0" < any paper id) and among themselves by id.
    c = _Cluster(key=("\0" + p.id, 0), person=p.id, names=set(p.names), papers=set(p.papers),
                 coauthors=set(p.coauthors), institutions=set(p.institutions), orcids=set(p.orcids),
                 topics=set(p.topics), venues=set(p.venues), words=set(p.words) - common,
                 initials_only=all(n.initials_only for n in p.names),
                 fulls={n.full for n in p.names if n.full})
    if p.years:
        c._year(p.years[0])
        c._year(p.years[1])
    return c


def can_link(a: _Cluster, b: _Cluster) -> bool:
    """The hard rules: one paper, two known people, two ORCIDs or incompatible names keep two clusters apart."""
    if a.person and b.person:
        return False
    if a.orcids and b.orcids and not (a.orcids & b.orcids):
        return False
    if not a.papers.isdisjoint(b.papers):
        return False
    for x in a.names:
        for y in b.names:
            if x is not y and x != y and not _compatible(x, y):
                return False
    return True


def _score(a: _Cluster, b: _Cluster, diversity: int) -> float:
    """Evidence that two compatible clusters are one person (see the module docstring).

    ``diversity`` is the number of distinct full given names in the block: in a block of
    one or two (one "Mario Geiger", perhaps a "Marc") the same full name is nearly proof;
    in "Li, J." (Jian, Jun, Jing ...) a full name is shared by many people and counts little.
    """
    # Written for speed (it runs for every proposed pair): emptiness tested before sets are intersected.
    score = 0.0
    x, y = a.orcids, b.orcids
    if x and y and not x.isdisjoint(y):
        score += 10
    x, y = a.coauthors, b.coauthors
    if x and y:
        shared = len(x & y)
        score += 3.0 * (shared if shared < 3 else 3)
    x, y = a.institutions, b.institutions
    if x and y:
        insts = len(x & y)
        score += 2.0 * (insts if insts < 2 else 2)
    x, y = a.venues, b.venues
    if x and y and not x.isdisjoint(y):
        score += 1.0
    x, y = a.topics, b.topics
    if x and y:
        topics = len(x & y)
        score += 0.75 * (topics if topics < 3 else 3)
    x, y = a.fulls, b.fulls
    if x and y and not x.isdisjoint(y):
        score += NAME_BONUS[min(diversity, len(NAME_BONUS) - 1)]
        x, y = a.words, b.words
        if x and y and not x.isdisjoint(y):
            score += NAME_WORDS_BONUS
    elif diversity <= 1 and (a.initials_only or b.initials_only):
        # "M. Geiger" in a block where the only full name is "Mario": nobody else it could be.
        score += LONE_NAME_BONUS
    a0, a1, b0, b1 = a.ymin, a.ymax, b.ymin, b.ymax
    if (a0 is not None and b0 is not None and a1 is not None and b1 is not None
            and (a0 - b1 > 12 or b0 - a1 > 12)):
        score -= 1.5
    return score


def _threshold(a: _Cluster, b: _Cluster, diversity: int) -> float:
    return _needs(diversity)[a.initials_only or b.initials_only]


def _needs(diversity: int) -> tuple[float, float]:
    """The score a pair must reach in a block of ``diversity`` full names: (between full-named clusters, with an
    initials-only one); the same for every pair of the block, so a round works it out once."""
    need = THRESHOLD + (COMMON_EXTRA if diversity > COMMON_DIVERSITY else 0.0)
    return need, max(need, INITIALS_THRESHOLD)


def _features(c: _Cluster) -> list[str]:
    """Every feature that proposes a pair to ``_round``: the evidence, venues and full names."""
    out = _evidence(c)
    out.extend(["v:" + x for x in c.venues])
    out.extend(["n:" + x for x in c.fulls])
    return out


def assign(mentions: Sequence[Mention], people: Sequence[Person] = (), *, rare: bool = False,
           common: frozenset[str] = frozenset()) -> list[tuple[str | None, list[Mention]]]:
    """(known person id or None for a new person, its mentions) for every cluster with mentions.

    ``rare``: the block's surname is a rare one (``RARE_BLOCKS``); ``common``: title words too common to tell
    anything (``loaders.people.Context``).
    """
    return [(c.person, c.mentions) for c in _cluster(mentions, people, rare, common)]


def _cluster(mentions: Sequence[Mention], people: Sequence[Person], rare: bool = False,
             common: frozenset[str] = frozenset()) -> list[_Cluster]:
    ordered = sorted(mentions, key=attrgetter("paper", "position", "ref"))
    clusters = [_from_person(p, common) for p in sorted(people, key=lambda p: p.id)]
    excluded = {p.id: p.excluded for p in people}
    seats = {p.id: p.seats for p in people}
    known_papers: dict[str, list[_Cluster]] = defaultdict(list)
    for c in clusters:
        for paper in c.papers:
            known_papers[paper].append(c)
    singles: list[_Cluster] = []
    by_paper: dict[str, list[_Cluster]] = defaultdict(list)
    # Paper -> the known people its bylines went home to, each with the byline: a person takes one byline of a
    # paper, and the same byline given again (a duplicate record) follows the first (looked up, not scanned).
    placed: dict[str, list[tuple[_Cluster, Mention]]] = defaultdict(list)
    for m in ordered:
        # (Only a paper of a known person can have a home, or bylines placed at one: the test spares the
        # clustering of a load into an empty graph the look-ups.)
        if m.paper in known_papers:
            # The paper already names a person of this block with a compatible name: the same authorship again
            # (a re-load, or another source of the paper). When it names several ("Jian Wang" and "Jian-Sheng
            # Wang" are compatible), the one that has this very spelling first: else a re-load swaps them.
            taken = placed.get(m.paper, ())
            homes = [c for c in known_papers[m.paper]
                     if all(compatible(m.given, n) for n in c.names) and all(c is not h for h, _ in taken)]
            home = _home(m, homes, seats)
            if home is None:
                # The paper given twice in this load (a duplicate in the list) whose first record went home to a
                # known person: this is the same byline again, not a namesake (else a re-load makes a new person).
                home = next((h for h, x in taken if x.position == m.position and x.record != m.record
                             and all(compatible(m.given, n) for n in h.names)), None)
            if home is not None:
                home.mentions.append(m)
                placed[m.paper].append((home, m))
                continue
        # The same paper given again by another record (a duplicate in the list, or a second source): its
        # byline is the one already seen, as it would be had the record come in a later batch (the home above).
        earlier = by_paper.get(m.paper)
        if earlier:
            twins = [c for c in earlier if c.key == (m.paper, m.position) and all(
                compatible(m.given, n) for n in c.names) and m.record not in {x.record for x in c.mentions}]
            if twins:
                twins[0].absorb(_from_mention(m, common))
                continue
        single = _from_mention(m, common)
        singles.append(single)
        by_paper[m.paper].append(single)
    clusters.extend(singles)
    if len(clusters) == 1:
        return clusters if clusters[0].mentions else []
    diversity = len({f for c in clusters for f in c.fulls})
    parent = list(range(len(clusters)))
    _obvious(clusters, parent, diversity, excluded)
    # Full names first, until nothing more merges; only then may initials-only clusters attach, to
    # people whose evidence has had the chance to gather (else "M. Geiger" sees ten small Marios).
    memo: dict[tuple[int, int], tuple[int, int, float | None]] = {}
    settled = False
    for initials in (False, True):
        live = [c for i, c in enumerate(clusters) if parent[i] == i and (initials or not c.initials_only)]
        if len(live) < 2 or (initials and settled and not any(c.initials_only for c in live)):
            # Nothing to pair, or the initials round would be the full-name round that just merged nothing.
            settled = True
            continue
        settled = False
        for _ in range(MAX_ROUNDS):
            if not _round(clusters, parent, diversity, excluded, initials, memo, rare):
                settled = True
                break
    out = [clusters[i] for i in range(len(clusters)) if parent[i] == i and clusters[i].mentions]
    out.sort(key=lambda c: (c.person is None, c.person or "", -len(c.mentions), c.key))
    return out


def _home(m: Mention, homes: list[_Cluster], seats: dict[str, frozenset[tuple[str, int]]]) -> _Cluster | None:
    """The known person of the block that ``m``'s paper already names and ``m`` is, if any.

    A paper known from another source (OpenAlex, then the arXiv listing of it) names its
    authors at positions: the byline is the person of its block at its own position, and
    nobody else (author lists reordered between sources leave a byline without a seat: it
    is not attached to a namesake elsewhere on the paper, and the same-paper rule then keeps
    the two apart). People without stored positions fall back to the name: the one with
    this very spelling first (``Jian Wang`` and ``Jian-Sheng Wang`` on one paper).
    """
    if not homes:
        return None
    placed = [c for c in homes if c.person and any(paper == m.paper for paper, _ in seats.get(c.person, ()))]
    if placed:
        return next((c for c in placed if (m.paper, m.position) in seats.get(c.person or "", ())), None)
    return next((c for c in homes if m.given in c.names), homes[0])


def _root(parent: list[int], i: int) -> int:
    """The root of ``i`` in the union-find ``parent``, halving the path on the way."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _obvious(clusters: list[_Cluster], parent: list[int], diversity: int,
             excluded: dict[str, frozenset[str]]) -> None:
    """Merge the clusters of one full given name that share a co-author, an institution or an ORCID, each
    against the cluster grown so far, before the scored rounds.

    Such pairs are the cliques of one person's bylines: k of them give k²/2 pairs that all pass
    the threshold, which the rounds would score, sort and walk. Here each joins the first
    cluster of its group in one step, under the same rules (the threshold, ``can_link``, stored
    splits), so the rounds start from few, grown clusters.
    """
    need = _needs(diversity)[0]
    splits = any(excluded.values())
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, c in enumerate(clusters):
        if c.initials_only:
            continue
        for full in c.fulls:
            for feature in _evidence(c):
                groups[(full, feature)].append(i)
    # In the order of the groups' keys, not of their making: that follows the iteration of string sets, which
    # changes from one process to the next (hash randomisation), and the order of joins can decide a merge.
    # (A group of one joins nothing: left out before the sort, which most groups would otherwise cost.)
    for _key, members in sorted(item for item in groups.items() if len(item[1]) > 1):
        first = members[0]
        for j in members[1:]:
            ri, rj = _root(parent, first), _root(parent, j)
            if ri == rj:
                continue
            a, b = clusters[ri], clusters[rj]
            if _score(a, b, diversity) >= need and can_link(a, b) and not (splits and _excluded(a, b, excluded)):
                _join(clusters, parent, ri, rj)


def _evidence(c: _Cluster) -> list[str]:
    """The features that propose a pair and make one full name's clique (``_obvious``)."""
    out = ["c:" + x for x in c.coauthors]
    out.extend(["i:" + x for x in c.institutions])
    out.extend(["o:" + x for x in c.orcids])
    return out


def _join(clusters: list[_Cluster], parent: list[int], ri: int, rj: int) -> None:
    """Merge two roots: the smaller key stays, unless the other is a known person (its id is kept)."""
    keep, gone = (ri, rj) if clusters[ri].key <= clusters[rj].key else (rj, ri)
    if clusters[gone].person:
        keep, gone = gone, keep
    clusters[keep].absorb(clusters[gone])
    parent[gone] = keep


def _round(clusters: list[_Cluster], parent: list[int], diversity: int, excluded: dict[str, frozenset[str]],
           initials: bool, memo: dict[tuple[int, int], tuple[int, int, float | None]], rare: bool = False) -> bool:
    """One merge round over the live clusters; whether anything merged.

    ``memo`` keeps each pair's verdict (its score, or None when it may not merge) with the versions of the two
    clusters: a pair neither of whose clusters grew since is not judged again (the verdict depends on nothing
    else), which saves most of the work of the later rounds.
    """
    live = [i for i in range(len(clusters)) if parent[i] == i and (initials or not clusters[i].initials_only)]
    postings: dict[str, list[int]] = defaultdict(list)
    for i in live:
        for feature in _features(clusters[i]):
            postings[feature].append(i)
    candidates: set[tuple[int, int]] = set()
    for members in postings.values():
        # ``live`` is ascending, so are the members: every pair comes as (smaller, larger).
        if 1 < len(members) <= MAX_POSTING:
            candidates.update(combinations(members, 2))
    sole = _sole(clusters, live, rare) if initials else set()
    candidates.update(sole)
    scored: list[tuple[float, tuple[str, int], tuple[str, int], int, int]] = []
    splits = any(excluded.values())
    needs = _needs(diversity)
    for pair in candidates:
        i, j = pair
        a, b = clusters[i], clusters[j]
        known = memo.get(pair)
        # A sole pair's verdict also depends on the block's other clusters: judged afresh, never kept.
        if known is not None and known[0] == a.version and known[1] == b.version and (not sole or pair not in sole):
            verdict = known[2]
        else:
            is_sole = bool(sole) and pair in sole
            # The score first: most proposed pairs (a shared venue or full name in a big block) fall short of it.
            s = _score(a, b, diversity) + (_weak(a, b, diversity, rare) if is_sole else 0.0)
            verdict = s if s >= needs[a.initials_only or b.initials_only] and can_link(a, b) and not (
                splits and _excluded(a, b, excluded)) else None
            if not is_sole:
                memo[pair] = (a.version, b.version, verdict)
        if verdict is not None:
            scored.append((verdict, a.key, b.key, i, j) if a.key <= b.key else (verdict, b.key, a.key, i, j))
    scored = _unambiguous(scored, clusters)
    # Best score first, ties by the clusters' keys (then indices: two clusters of one key are rare, but the order must
    # not be the candidate set's): two stable sorts by C-level keys give exactly the order of one sort by (-score,
    # key, key, i, j), without a Python call per pair (native/src/lib.rs sorts the same way).
    scored.sort(key=itemgetter(1, 2, 3, 4))
    scored.sort(key=itemgetter(0), reverse=True)
    merged = False
    for _s, _ka, _kb, i, j in scored:
        ri, rj = _root(parent, i), _root(parent, j)
        if ri == rj or not can_link(clusters[ri], clusters[rj]) or (
                splits and _excluded(clusters[ri], clusters[rj], excluded)):
            continue
        _join(clusters, parent, ri, rj)
        merged = True
    return merged


def _sole(clusters: list[_Cluster], live: list[int], rare: bool) -> set[tuple[int, int]]:
    """(smaller, larger) index pairs of an initials-only cluster and the one full-named cluster of the block whose
    names fit it and that shares a topic or a title word with it (in a ``rare`` surname's block: that fits it); none
    for a cluster with two such (a "J. Li" among several Jians).

    Such a pair shares no feature ``_features`` proposes pairs by, so it is proposed here. Candidates are looked
    up by topic and title word (any shared key is the tie) and the search stops at the second fit: not every pair of
    a crowded block is compared.
    """
    index: dict[str, list[int]] = defaultdict(list)
    for j in live:
        c = clusters[j]
        if not c.initials_only:
            if rare:
                index[""].append(j)
            for topic in c.topics:
                index["t:" + topic].append(j)
            for word in c.words:
                index["w:" + word].append(j)
    out: set[tuple[int, int]] = set()
    if not index:
        return out
    for i in live:
        x = clusters[i]
        if not x.initials_only:
            continue
        found, seen = -1, set()
        keys = [""] if rare else ["t:" + t for t in x.topics] + ["w:" + w for w in x.words]
        for key in keys:
            for j in index.get(key, ()):
                if j == found or j in seen:
                    continue
                seen.add(j)
                if _names_fit(x, clusters[j]):
                    if found >= 0:
                        break
                    found = j
            else:
                continue
            found = -2  # a second fit: nobody in particular
            break
        if found >= 0:
            out.add((i, found) if i < found else (found, i))
    return out


def _names_fit(a: _Cluster, b: _Cluster) -> bool:
    return all(x is y or x == y or _compatible(x, y) for x in a.names for y in b.names)


def _weak(a: _Cluster, b: _Cluster, diversity: int, rare: bool) -> float:
    """The evidence of a ``_sole`` pair besides ``_score``: being the only candidate, a shared title word, a rare
    surname, and the years."""
    x, y = (a, b) if a.initials_only else (b, a)
    score = SOLE_BONUS if diversity > 1 else 0.0
    if rare:
        score += RARE_BONUS
    if x.words and y.words and not x.words.isdisjoint(y.words):
        score += WORDS_BONUS
    if (x.ymin is not None and x.ymax is not None and y.ymin is not None and y.ymax is not None
            and y.ymin - SPAN_SLACK <= x.ymin and x.ymax <= y.ymax + SPAN_SLACK):
        score += SPAN_BONUS
    return score


def _excluded(a: _Cluster, b: _Cluster, excluded: dict[str, frozenset[str]]) -> bool:
    """A stored split: the known person must not take these papers back."""
    for person, other in ((a, b), (b, a)):
        if person.person and excluded.get(person.person) and any(
                f"{m.paper}" in excluded[person.person] for m in other.mentions):
            return True
    return False


def _unambiguous(scored: list[tuple[float, tuple[str, int], tuple[str, int], int, int]],
                 clusters: list[_Cluster]) -> list[tuple[float, tuple[str, int], tuple[str, int], int, int]]:
    """Drop the pairs of an initials-only cluster whose best candidate does not clearly beat a rival.

    A rival is another candidate within the margin that is a person of its own: named in
    full, or one the best candidate cannot be (other initials-only bylines of the same
    person are no rivals: they will join too).
    """
    options: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for s, _ka, _kb, i, j in scored:
        if clusters[i].initials_only:
            options[i].append((s, j))
        if clusters[j].initials_only:
            options[j].append((s, i))
    unclear = set()
    for x, found in options.items():
        if len(found) < 2:
            continue
        found.sort(key=lambda t: (-t[0], clusters[t[1]].key, t[1]))
        top, best = found[0]
        for s, other in found[1:]:
            if top - s >= INITIALS_MARGIN:
                break
            rival = clusters[other]
            if not rival.initials_only or not can_link(clusters[best], rival):
                unclear.add(x)
                break
    if not unclear:
        return scored
    return [t for t in scored if t[3] not in unclear and t[4] not in unclear]


def new_id(block: str, taken: set[str]) -> str:
    """The id of a new person of ``block``: the block key itself when free, else ``<block>~2``, ``~3`` ...

    The first person of a block keeps the old key (``name:geiger_m``), so links made
    before disambiguation still lead to the first person loaded under it.
    """
    if block not in taken:
        return block
    n = 2
    while f"{block}~{n}" in taken:
        n += 1
    return f"{block}~{n}"
