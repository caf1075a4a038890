"""Name-only authorships of a batch -> the people they belong to (``loaders.identity`` applied to a load).

A parser gives a name-only author the id ``name:<last>_<first initial>``: that is
the block. ``resolve`` replaces it by the id of a person: one already in the graph
(read with ``load/identity_people``, or from the bulk loader's in-memory ``Book``)
when the evidence says so, else a new one (``name:<block>``, ``name:<block>~2``
...). An id, once given, is never given to anybody else and never changes. An
authorship with an ORCID joins the clustering too (its ORCID is the strongest
evidence) and a new person that has one is ``orcid:<ORCID>``. OpenAlex people are
fixed; a name-only byline of a paper that already names them joins them.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from loaders import identity, native
from loaders.identity import GivenName, Mention, Person, assign, byline_given, new_id
from loaders.model import Authorship, Work
from loaders.names import fold, is_group, parse_name

# Papers with more authors give no co-author evidence (a 3,000-author paper says nothing about who
# works with whom, and would cost millions of pairs).
MAX_EVIDENCE_AUTHORS = 50


@functools.lru_cache(maxsize=1 << 16)
def block_of_name(name: str) -> str | None:
    """The block (``name:<last>_<initial>``) of a person's display name; None for groups and non-names."""
    parsed = parse_name(name)
    if parsed is None or is_group(name):
        return None
    return parsed.key


@functools.lru_cache(maxsize=1 << 16)
def _group(name: str) -> bool:
    return is_group(name)


def is_name_only(author: Authorship) -> bool:
    return _name_only(author.id, author.name)


def _name_only(ident: str, name: str) -> bool:
    return ident.startswith("name:") and not _group(name)


def block_of(author: Authorship) -> str | None:
    if author.block:
        return author.block
    return byline_block(author.id, author.name)


def byline_block(ident: str, name: str) -> str | None:
    """The block of an authorship with id ``ident`` and display name ``name`` that has none given."""
    if _name_only(ident, name):
        return ident
    return block_of_name(name)


def _clusterable(author: Authorship) -> bool:
    """Name-only bylines and ORCID bylines take part in the clustering; OpenAlex ids are final."""
    return is_name_only(author) or author.id.startswith("orcid:")


@dataclass(frozen=True)
class PaperFacts:
    """What one paper says about one of its authors: the evidence folded into a ``Person``."""

    paper: str
    venue: str | None
    year: int | None
    topics: tuple[str, ...]
    coauthors: tuple[str, ...]
    institutions: tuple[str, ...]
    position: int | None = None  # the author's, on this paper
    words: frozenset[str] = frozenset()  # the title's (``title_words``)


def _venue(text: str | None) -> str | None:
    return fold(text) if text else None


def work_facts(work: Work, paper_id: str) -> tuple[list[str | None], PaperFacts]:
    """The blocks of the work's authors and the facts the paper gives (without co-authors and institutions)."""
    blocks = [block_of(a) for a in work.authors]
    topics = tuple(sorted({t.id for t, _ in work.topics}))
    return blocks, PaperFacts(paper_id, _venue(work.venue), work.year, topics, (), (), words=title_words(work.title))


_NONE: frozenset[str] = frozenset()


def _team(blocks: Sequence[str | None]) -> frozenset[str]:
    """The blocks of a paper's authors, the evidence each of them has about the others."""
    if len(blocks) > MAX_EVIDENCE_AUTHORS:
        return _NONE
    return frozenset(b for b in blocks if b)


def _coauthors(team: frozenset[str], block: str | None) -> frozenset[str]:
    return team - {block} if team else _NONE


def mentions(works: Sequence[Work], ids: Sequence[str], first_ref: int = 0,
             first_record: int = 0) -> tuple[list[Mention], list[tuple[int, int]]]:
    """The clusterable authorships of a batch as Mentions, and (work index, author index) of each.

    ``first_ref`` and ``first_record`` number the Mentions' ``ref`` and ``record`` on from a load's earlier
    batches (``Plan.add``).
    """
    found: list[Mention] = []
    refs: list[tuple[int, int]] = []
    for w, (work, paper_id) in enumerate(zip(works, ids, strict=True)):
        blocks, facts = work_facts(work, paper_id)
        team, topics, words = _team(blocks), frozenset(facts.topics), facts.words
        for a, author in enumerate(work.authors):
            block = blocks[a]
            if block is None or not _clusterable(author):
                continue
            found.append(Mention(
                ref=first_ref + len(refs), block=block, given=_given(author.raw_name), paper=paper_id, position=a + 1,
                coauthors=_coauthors(team, block),
                institutions=frozenset(i.id for i in author.institutions) if author.institutions else _NONE,
                orcid=author.orcid, topics=topics, venue=facts.venue, year=work.year, record=first_record + w,
                words=words))
            refs.append((w, a))
    return found, refs


# Words too general to tell one person's papers from another's: English short words and the commonest words of
# paper titles (words of three letters or fewer never count).
_STOP = frozenset([
    "about", "after", "against", "among", "analysis", "approach", "assessment", "associated", "association",
    "based", "between", "case", "cases", "clinical", "control", "controlled", "data", "design", "development",
    "disease", "during", "effect", "effects", "efficacy", "evaluation", "evidence", "from", "health", "impact",
    "into", "management", "method", "methods", "model", "models", "novel", "outcome", "outcomes", "over",
    "patients", "randomised", "randomized", "report", "results", "review", "risk", "role", "study", "studies",
    "systematic", "their", "theory", "through", "towards", "treatment", "trial", "trials", "under", "using",
    "versus", "very", "what", "when", "which", "with", "within", "without"])
# A load of at least this many papers takes the words of more than COMMON_SHARE of its papers as common, too.
COMMON_MIN_PAPERS = 1000
COMMON_SHARE = 0.015
# Rare surnames are told only among at least this many people (the load's blocks and the graph's authors): in a
# list of four papers every surname is "rare", and that says nothing.
RARE_MIN_PEOPLE = 10_000


@functools.lru_cache(maxsize=1 << 16)
def title_words(title: str | None) -> frozenset[str]:
    """The distinctive words of a title: folded, four letters or more, not in ``_STOP`` (interned, and one set for
    one title: a large load holds millions)."""
    if not title:
        return _NONE
    return frozenset(sys.intern(w) for w in _WORD.findall(fold(title)) if w not in _STOP)


_WORD = re.compile(r"[a-z]{4,}")


@dataclass(frozen=True)
class Context:
    """What the clustering of one block needs to know of the whole load (``loaders.identity.assign``)."""

    rare: frozenset[str] = frozenset()  # blocks of rare surnames (``identity.RARE_BLOCKS``)
    common: frozenset[str] = frozenset()  # title words too common to count


def surname(block: str) -> str:
    """``name:cohen_t`` -> ``name:cohen``: the blocks of one surname share it."""
    return block.rsplit("_", 1)[0]


def context(found: Sequence[Mention], people: Mapping[str, Sequence[Person]] = {},
            graph_blocks: Mapping[str, Iterable[str]] | None = None, graph_people: int = 0) -> Context:
    """The load's ``Context``: its rare surnames (counting the blocks of the load, of ``people`` and, from
    ``graph_blocks``, the blocks of each surname the graph holds; none among fewer than RARE_MIN_PEOPLE, the
    load's blocks and the graph's ``graph_people`` authors) and its common title words."""
    blocks: dict[str, set[str]] = defaultdict(set)
    # C-level passes over the mentions (a million-paper load has 7 million): each distinct block once, and the
    # last word set given for each paper, as a loop would keep it.
    for block in dict.fromkeys(map(attrgetter("block"), found)):
        blocks[surname(block)].add(block)
    papers = dict(zip(map(attrgetter("paper"), found), map(attrgetter("words"), found), strict=True))
    for block in people:
        blocks[surname(block)].add(block)
    population = sum(len(bs) for bs in blocks.values()) + graph_people  # before the graph's blocks: no twice
    for name, known in (graph_blocks or {}).items():
        if name in blocks:
            blocks[name].update(known)
    rare = frozenset(b for bs in blocks.values() if len(bs) <= identity.RARE_BLOCKS for b in bs) \
        if population >= RARE_MIN_PEOPLE else frozenset()
    common: frozenset[str] = frozenset()
    if len(papers) >= COMMON_MIN_PAPERS:
        df: Counter[str] = Counter()
        for words in papers.values():
            df.update(words)
        limit = COMMON_SHARE * len(papers)
        common = frozenset(w for w, n in df.items() if n > limit)
    return Context(rare, common)


@functools.lru_cache(maxsize=1 << 16)
def _given(byline: str) -> GivenName:
    return byline_given(byline)


def batch_blocks(works: Sequence[Work]) -> list[str]:
    """The blocks whose known people the batch needs, sorted."""
    return sorted({b for work in works for a in work.authors if _clusterable(a) and (b := block_of(a))})


def resolve(works: Sequence[Work], ids: Sequence[str], people: Mapping[str, Sequence[Person]],
            graph_blocks: Mapping[str, Iterable[str]] | None = None, graph_people: int = 0) -> list[Work]:
    """The works with every authorship carrying its person's id and block (the input is not changed).

    ``people`` maps a block to the people of the graph in it (every id of the
    block, so a new id is never one already given); ``graph_blocks`` and ``graph_people`` as for ``Plan.decide``.
    """
    found, refs = mentions(works, ids)
    person_of = assign_people(found, people, context(found, people, graph_blocks, graph_people))
    ref_of = {ref: i for i, ref in enumerate(refs)}
    out = []
    for w, work in enumerate(works):
        row = tuple(person_of.get(ref_of.get((w, a), -1)) for a in range(len(work.authors)))
        out.append(with_people(work, row))
    return out


def assign_people(found: Sequence[Mention], people: Mapping[str, Sequence[Person]],
                  ctx: Context | None = None) -> dict[int, str]:
    """Mention ref -> the id of its person: one of ``people`` (block -> the graph's people) or a new one.

    ``ctx``: the whole load's ``Context`` when ``found`` is only a part of it (the bulk path's groups of blocks).
    """
    if ctx is None:
        ctx = context(found, people)
    # Blocks without known people go to the native clustering in one call when it is built (the same people,
    # several times faster: loaders/native.py); the others, or all when it is not, to ``identity.assign``.
    person_of: dict[int, str] = {}
    pending: Sequence[Mention] = found
    if found and native.available():
        held = {m.block for m in found if people.get(m.block)} if people else set()
        person_of.update(native.people([m for m in found if m.block not in held] if held else found, ctx.rare,
                                       ctx.common))
        pending = [m for m in found if m.block in held] if held else []
    by_block: dict[str, list[Mention]] = defaultdict(list)
    for m in pending:
        by_block[m.block].append(m)
    for block in sorted(by_block):
        known = people.get(block, ())
        taken = {p.id for p in known}  # merged-away ids too: an id is never given twice
        for person, members in assign(by_block[block], follow_merges(known), rare=block in ctx.rare,
                                      common=ctx.common):
            if person is None:
                orcid = next((m.orcid for m in sorted(members, key=lambda m: (m.paper, m.position)) if m.orcid), None)
                person = f"orcid:{orcid}" if orcid else new_id(block, taken)
                taken.add(person)
            for m in members:
                person_of[m.ref] = person
    return person_of


def with_people(work: Work, person: Sequence[str | None]) -> Work:
    """A copy of ``work`` whose authorships carry their block and, where ``person[index]`` names one, that id."""
    authors = []
    for a, author in enumerate(work.authors):
        ident = (person[a] if a < len(person) else None) or author.id
        authors.append(Authorship(ident, author.name, author.raw_name, author.orcid, author.institutions,
                                  block_of(author)))
    out = copy_work(work)
    out.authors = authors
    return out


@dataclass
class Plan:
    """The people of a whole load, decided before its first write, so that batching changes nothing.

    Fed the load's works in order (``add``, with the Paper id each writes to), it
    clusters every name-only byline of the load at once (``decide``) against the
    people already in the graph; ``apply`` then gives a batch of the same works, in
    the same order, their people. Memory: one ``Mention`` per authorship (the bulky
    parts of a work are not kept).
    """

    found: list[Mention] = field(default_factory=list)
    refs: list[tuple[int, int]] = field(default_factory=list)  # mention ref -> (work ordinal, author index)
    works: int = 0
    # Work ordinal -> the person of each authorship (None: keeps its own id); a tuple per work, not a dict
    # entry per authorship, because a million-paper load holds millions of authorships.
    person: dict[int, tuple[str | None, ...]] = field(default_factory=dict)

    def add(self, works: Sequence[Work], ids: Sequence[str]) -> None:
        found, refs = mentions(works, ids, first_ref=len(self.refs), first_record=self.works)
        self.found.extend(found)
        self.refs.extend((self.works + w, a) for w, a in refs)
        self.works += len(works)

    def blocks(self) -> list[str]:
        return sorted({m.block for m in self.found})

    def decide(self, people: Mapping[str, Sequence[Person]],
               graph_blocks: Mapping[str, Iterable[str]] | None = None, graph_people: int = 0) -> None:
        """Cluster the load against ``people`` (block -> the graph's people in it); ``graph_blocks``: the graph's
        blocks of each surname of the load (``load/surname_blocks``); ``graph_people``: its Author nodes."""
        self.settle(assign_people(self.found, people,
                                  context(self.found, people, graph_blocks, graph_people)).items())

    def settle(self, person_of: Iterable[tuple[int, str | None]]) -> None:
        """Keep each mention's person (``(mention ref, id)``) per work, and let the mentions go."""
        rows: dict[int, list[str | None]] = {}
        for ref, ident in person_of:
            w, a = self.refs[ref]
            row = rows.setdefault(w, [])
            row.extend([None] * (a + 1 - len(row)))
            row[a] = ident
        self.person = {w: tuple(row) for w, row in rows.items()}
        self.found, self.refs = [], []

    def apply(self, works: Sequence[Work], first: int) -> list[Work]:
        """``works`` (the load's works ``first``, ``first + 1`` ...) with their people."""
        out = []
        for i, work in enumerate(works):
            out.append(with_people(work, self.person.get(first + i, ())))
        return out


def follow_merges(known: Sequence[Person]) -> list[Person]:
    """The people of a block as the clustering must see them: a merged-away person is its survivor.

    Its bylines must keep finding it, and go to the survivor; if they met two
    candidates (it and its survivor) an initials-only byline would find neither
    clearly best. A survivor of the block already holds the moved papers; one from
    elsewhere (another block, an OpenAlex id) stands in with the merged-away
    people's evidence under its own id.
    """
    live = {p.id: p for p in known if not p.merged_into}
    out = dict(live)
    for p in sorted((p for p in known if p.merged_into), key=lambda p: p.id):
        target = p.merged_into
        assert target is not None
        if target in live:
            continue
        seen = out.get(target)
        out[target] = dataclasses.replace(p, id=target, merged_into=None) if seen is None else Person(
            target, seen.block, seen.names | p.names, seen.papers | p.papers, seen.coauthors | p.coauthors,
            seen.institutions | p.institutions, seen.orcids | p.orcids, seen.topics | p.topics,
            seen.venues | p.venues, _span(seen.years, p.years), seen.excluded | p.excluded,
            seats=seen.seats | p.seats, words=seen.words | p.words)
    return list(out.values())


def _span(a: tuple[int, int] | None, b: tuple[int, int] | None) -> tuple[int, int] | None:
    if a is None or b is None:
        return a or b
    return min(a[0], b[0]), max(a[1], b[1])


def copy_work(work: Work) -> Work:
    """A shallow copy (``dataclasses.replace`` runs ``__init__`` and costs three times as much)."""
    return copy.copy(work)


# -- known people: folded from the graph's rows, or kept in memory by the bulk loader ----------------------
def person_from(ident: str, block: str, variants: Iterable[str], orcid: str | None,
                facts: Iterable[PaperFacts], excluded: Iterable[str] = (), merged_into: str | None = None) -> Person:
    """A ``Person`` from its bylines and the facts of its papers."""
    papers: set[str] = set()
    coauthors: set[str] = set()
    insts: set[str] = set()
    topics: set[str] = set()
    venues: set[str] = set()
    words: set[str] = set()
    years: list[int] = []
    seats: set[tuple[str, int]] = set()
    for f in facts:
        words.update(f.words)
        papers.add(f.paper)
        if f.position is not None:
            seats.add((f.paper, f.position))
        coauthors.update(f.coauthors)
        insts.update(f.institutions)
        topics.update(f.topics)
        if f.venue:
            venues.add(f.venue)
        if f.year is not None:
            years.append(f.year)
    names: set[GivenName] = {_given(v) for v in variants if v}
    return Person(ident, block, frozenset(n for n in names if n.tokens) or frozenset(names), frozenset(papers),
                  frozenset(coauthors), frozenset(insts), frozenset({orcid} if orcid else ()), frozenset(topics),
                  frozenset(venues), (min(years), max(years)) if years else None, frozenset(excluded), merged_into,
                  frozenset(seats), frozenset(words))


def people_from_records(records: Iterable[Mapping[str, Any]]) -> dict[str, list[Person]]:
    """``load/identity_people`` rows -> block -> people."""
    out: dict[str, list[Person]] = defaultdict(list)
    for r in records:
        facts = [PaperFacts(p["paper"], _venue(p["venue"]), p["year"], tuple(p["topics"] or ()),
                            tuple(c for c in (p["coauthors"] or ()) if c and c != r["block"]),
                            tuple(i for insts in (p["institutions"] or ()) for i in (insts or ())), p.get("position"),
                            title_words(p.get("title")))
                 for p in r["papers"]]
        out[r["block"]].append(person_from(r["id"], r["block"], r["variants"] or (), r["orcid"], facts,
                                           r.get("excluded") or (), r.get("merged_into")))
    return out


@dataclass
class Book:
    """The people of a load kept in memory (the bulk loader's stand-in for ``load/identity_people``)."""

    blocks: dict[str, dict[str, list[Any]]] = field(default_factory=dict)  # block -> id -> [variants, orcid, facts]

    def people(self, blocks: Iterable[str]) -> dict[str, list[Person]]:
        out: dict[str, list[Person]] = {}
        for block in blocks:
            known = self.blocks.get(block)
            if known:
                out[block] = [person_from(i, block, v[0], v[1], v[2]) for i, v in known.items()]
        return out

    def add(self, works: Sequence[Work], ids: Sequence[str]) -> None:
        """Note the resolved authorships of a batch (after ``resolve``)."""
        for work, paper_id in zip(works, ids, strict=True):
            blocks, facts = work_facts(work, paper_id)
            team = _team(blocks)
            for position, author in enumerate(work.authors, start=1):
                if not author.block:
                    continue
                entry = self.blocks.setdefault(author.block, {}).setdefault(author.id, [[], None, []])
                if author.raw_name not in entry[0]:
                    entry[0].append(author.raw_name)
                entry[1] = entry[1] or author.orcid
                entry[2].append(dataclasses.replace(
                    facts, coauthors=tuple(sorted(_coauthors(team, author.block))),
                    institutions=tuple(i.id for i in author.institutions), position=position))
