"""A load's people plan as integer columns, for the native clustering (``loaders.native``).

``people.Plan`` keeps one ``Mention`` object per clusterable byline (a million-paper load
makes 7 million, with a co-author set each) and ``native.people`` reads them back field
by field to number their strings. When every block of the load is new (the bulk path's
first load into an empty graph) and the library is built, ``ColumnPlan`` takes the same
bylines straight into columns as the batches are read: the strings are numbered once, in
order of first sight; per paper its facts once (not per byline); and ``decide`` turns
the numbers into the ranks ``native.people`` would give (each kind's distinct strings,
sorted) with array operations. The same people as ``Plan.decide({})`` (tests/test_columns.py).
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from loaders import identity, native, people
from loaders.identity import GivenName
from loaders.model import Authorship, Work
from loaders.people import (
    MAX_EVIDENCE_AUTHORS,
    Context,
    Plan,
    _clusterable,
    _given,
    _venue,
    block_of,
    surname,
    title_words,
    with_people,
)

_SEEN = 1 << 20  # Authorship objects remembered by ``ColumnPlan.add``


class _Facts:
    """What one Authorship object gives the plan: its block, whether it is clustered, and the codes of its name,
    ORCID and institutions (at its first clustered mention). It holds the object, so that its id() stays its."""

    __slots__ = ("author", "block", "clustered", "codes")

    def __init__(self, author: Authorship, block: str | None, clustered: bool) -> None:
        self.author = author
        self.block = block
        self.clustered = clustered
        self.codes: tuple[int, int, tuple[int, ...]] | None = None


class _Strings:
    """Strings numbered in order of first sight (None and "" are -1, no value, as ``identity`` reads them)."""

    def __init__(self) -> None:
        self.code: dict[str | None, int] = {None: -1, "": -1}
        self.values: list[str] = []

    def __call__(self, value: str | None) -> int:
        code = self.code.get(value)
        if code is None:
            code = self.code[value] = len(self.values)
            self.values.append(value)  # type: ignore[arg-type]  # None and "" are never new
        return code

    def ranks(self, used: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """Code -> rank among the used codes' strings, sorted (-1 stays -1), and those strings in rank order."""
        present = np.unique(used[used >= 0])
        strings = [self.values[c] for c in present.tolist()]
        order = sorted(range(len(strings)), key=strings.__getitem__)
        rank = np.full(len(self.values) + 1, -1, dtype=np.int32)  # the last slot: -1 maps to -1
        rank[present[order]] = np.arange(len(order), dtype=np.int32)
        return rank, [strings[i] for i in order]


def _remap(rank: np.ndarray, codes: np.ndarray) -> np.ndarray:
    out: np.ndarray = rank[codes].astype(np.int32)  # -1 indexes the last slot, which holds -1
    return out


def _csr(lengths: array[int]) -> np.ndarray:
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(np.frombuffer(lengths, dtype=np.int32), out=offsets[1:])
    return offsets


def _keep(offsets: np.ndarray, values: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CSR sets with only the values where ``keep`` holds."""
    kept = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(keep, out=kept[1:])
    return kept[offsets], values[keep]


def _expand(offsets: np.ndarray, values: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The CSR sets of ``rows`` (one per mention) from per-row CSR sets: offsets and values."""
    lengths = (offsets[1:] - offsets[:-1])[rows]
    out = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=out[1:])
    total = int(out[-1])
    # Each output slot's source: its row's start plus its place within the row.
    starts = np.repeat(offsets[:-1][rows] - out[:-1], lengths)
    return out, values[starts + np.arange(total, dtype=np.int64)]


class BylineSink(Protocol):
    """Who else reads the authorships ``ColumnPlan.add`` goes through (``loaders.bulk.bylines.Bylines``): each
    batch, each work with its blocks and the authorships it does not cluster, and at the end the people of the
    clustered ones."""

    def batch(self) -> None: ...

    def note(self, work: Work, blocks: Sequence[str | None], own: Sequence[int]) -> None: ...

    def people(self, ordinal: np.ndarray, author: np.ndarray, ids: Sequence[str], person: np.ndarray) -> None: ...


@dataclass
class ColumnPlan:
    """``people.Plan`` for a load whose blocks hold no known people, kept as columns (see the module's text).

    ``add`` takes the works in load order as ``Plan.add`` does; ``decide`` clusters them with the native
    library and leaves ``person`` as ``Plan.settle`` does; ``apply`` is ``Plan.apply``. With ``bylines`` (the
    bulk path's), every work and its blocks go to it as well, and ``decide`` gives it the people instead of
    building ``person`` (``apply`` then has nothing to give).
    """

    works: int = 0
    person: dict[int, tuple[str | None, ...]] = field(default_factory=dict)
    bylines: BylineSink | None = None

    def __post_init__(self) -> None:
        self._clear()

    def _clear(self) -> None:
        """Empty columns (also once the plan is decided: only ``person`` is kept)."""
        self._blocks = _Strings()        # mention blocks and co-author blocks share one numbering
        self._plain = _Strings()         # topics, title words, venues
        self._papers = _Strings()
        self._orcids = _Strings()
        self._insts = _Strings()
        self._given: dict[str, int] = {}       # byline -> index of its GivenName
        self._names: dict[GivenName, int] = {}
        self._seen: dict[int, _Facts] = {}  # by id() of the Authorship
        # Per paper record with at least one mention ("row"): its work's ordinal, paper, venue, year, and sets.
        self._ordinal = array("q")
        self._paper = array("i")
        self._venue = array("i")
        self._year = array("i")
        self._sets: dict[str, tuple[array[int], array[int]]] = {
            kind: (array("i"), array("i")) for kind in ("topics", "words", "team")}  # lengths, values
        # Per mention: its row, author index, block, name, ORCID, institutions.
        self._row = array("i")
        self._author = array("i")
        self._block = array("i")
        self._name = array("i")
        self._orcid = array("i")
        self._inst_len = array("i")
        self._inst = array("i")

    def __len__(self) -> int:
        """The mentions noted so far."""
        return len(self._row)

    def add(self, works: Sequence[Work], ids: Sequence[str]) -> None:
        """Note a batch of the load's works (in load order) with the Paper id each writes to: ``Plan.add``."""
        blocks_code, insts_code = self._blocks, self._insts
        given_of, names, seen = self._given, self._names, self._seen
        row_of, author_of, block_col, name_col, orcid_col = (
            self._row, self._author, self._block, self._name, self._orcid)
        inst_len, inst_val, orcids = self._inst_len, self._inst, self._orcids
        note = None
        if self.bylines is not None:
            self.bylines.batch()
            note = self.bylines.note
        for work, paper_id in zip(works, ids, strict=True):
            ordinal = self.works
            self.works += 1
            authors = work.authors
            # What an authorship gives the plan depends on it alone: worked out once per Authorship object (the
            # parsers and the bulk path's child share one between the records that list it alike).
            facts: list[_Facts] = []
            for author in authors:
                found = seen.get(id(author))
                if found is None:
                    if len(seen) >= _SEEN:
                        seen.clear()
                    block = block_of(author)
                    found = seen[id(author)] = _Facts(author, block, block is not None and _clusterable(author))
                facts.append(found)
            blocks = [f.block for f in facts]
            own: list[int] = []  # the authorships that keep their own ids
            row = -1
            for a, found in enumerate(facts):
                if not found.clustered:
                    own.append(a)
                    continue
                if row < 0:
                    row = self._add_row(work, paper_id, ordinal, blocks)
                row_of.append(row)
                author_of.append(a)
                block_col.append(blocks_code(found.block))
                codes = found.codes
                if codes is None:  # its strings numbered at its first mention, as they always were
                    author = found.author
                    raw = author.raw_name
                    name = given_of.get(raw)
                    if name is None:
                        name = given_of[raw] = names.setdefault(_given(raw), len(names))
                    codes = found.codes = (name, orcids(author.orcid), tuple(dict.fromkeys(
                        insts_code(i.id) for i in author.institutions)))
                name_col.append(codes[0])
                orcid_col.append(codes[1])
                inst_len.append(len(codes[2]))
                inst_val.extend(codes[2])
            if note is not None:
                note(work, blocks, own)

    def _add_row(self, work: Work, paper_id: str, ordinal: int, blocks: list[str | None]) -> int:
        row = len(self._ordinal)
        self._ordinal.append(ordinal)
        self._paper.append(self._papers(paper_id))
        self._venue.append(self._plain(_venue(work.venue)))
        self._year.append(native.NO_YEAR if work.year is None else work.year)
        plain = self._plain
        sets = (
            ("topics", {plain(t.id): None for t, _ in work.topics}),
            ("words", {plain(w): None for w in title_words(work.title)}),
            ("team", {} if len(blocks) > MAX_EVIDENCE_AUTHORS else
             {self._blocks(b): None for b in blocks if b}),
        )
        for kind, codes in sets:
            lengths, values = self._sets[kind]
            lengths.append(len(codes))
            values.extend(codes)
        return row

    def blocks(self) -> list[str]:
        codes = np.frombuffer(self._block, dtype=np.int32)
        return sorted(self._blocks.values[c] for c in np.unique(codes).tolist())

    def decide(self, threads: int | None = None) -> None:
        """Cluster the load's bylines (no known people: an empty graph) as ``Plan.decide({})`` would, with the
        native library on ``threads`` threads (default: every core); then let the columns go."""
        if len(self):
            self._settle(*self._cluster(threads))
        self._clear()

    def _cluster(self, threads: int | None) -> tuple[list[str], np.ndarray]:
        """The id of each person and the person of each mention."""
        row = np.frombuffer(self._row, dtype=np.int32)
        block_codes = np.frombuffer(self._block, dtype=np.int32)
        n = len(row)
        block_rank, blocks = self._blocks.ranks(block_codes)
        block = _remap(block_rank, block_codes)
        rare, common = self._context(blocks)

        topics_off, topics = self._set("topics")
        words_off, words = self._set("words")
        if common:
            words_off, words = _keep(words_off, words, ~np.isin(words, np.fromiter(
                (self._plain.code[w] for w in common), dtype=np.int32, count=len(common))))
        venue = np.frombuffer(self._venue, dtype=np.int32)
        # Every row has a mention: the rows' strings are the mentions' strings.
        plain_rank, plain_sorted = self._plain.ranks(np.concatenate([topics, words, venue]))
        topic_off, topic_val = _expand(topics_off, topics, row)
        word_off, word_val = _expand(words_off, words, row)

        # The names, in order of first sight, as ``native.name_columns`` numbers them: their tokens after the
        # ranked strings (None and "" hold two places), as they come.
        givens = list(self._names)
        plain_code: dict[str | None, int] = {text: k for k, text in enumerate(plain_sorted)}
        plain_code[None] = plain_code[""] = -1
        for name in givens:
            for token in name.tokens[:2]:
                plain_code.setdefault(token, len(plain_code))
        fulls = native.ranks(name.full for name in givens)
        columns = np.array([native.name_columns(name, plain_code, fulls) for name in givens],
                           dtype=np.int32).reshape(-1, 8)

        # Co-authors: the paper's team without the mention's own block, ranked among the co-authors present.
        team_off, team = self._set("team")
        co_off, co_codes = _expand(team_off, team, row)
        co_off, co_codes = _keep(co_off, co_codes, co_codes != np.repeat(block_codes, np.diff(co_off)))
        co_rank, _ = self._blocks.ranks(co_codes)
        inst_off = _csr(self._inst_len)
        inst_codes = np.frombuffer(self._inst, dtype=np.int32)
        inst_rank, _ = self._insts.ranks(inst_codes)
        paper_codes = np.frombuffer(self._paper, dtype=np.int32)[row]
        paper_rank, _ = self._papers.ranks(paper_codes)
        orcid_codes = np.frombuffer(self._orcid, dtype=np.int32)
        orcid_rank, _ = self._orcids.ranks(orcid_codes)
        year = np.frombuffer(self._year, dtype=np.int32)[row]
        ordinal = np.frombuffer(self._ordinal, dtype=np.int64)[row]

        count, person, person_block, lead = native.cluster(
            blocks, rare, block, _remap(paper_rank, paper_codes), np.frombuffer(self._author, dtype=np.int32) + 1,
            np.arange(n, dtype=np.int64), np.ascontiguousarray(ordinal),
            np.frombuffer(self._name, dtype=np.int32).copy(), _remap(orcid_rank, orcid_codes),
            _remap(plain_rank, venue[row]), np.ascontiguousarray(year), (co_off, _remap(co_rank, co_codes)),
            (inst_off, _remap(inst_rank, inst_codes)), (topic_off, _remap(plain_rank, topic_val)),
            (word_off, _remap(plain_rank, word_val)), columns, threads)
        return native.person_ids(blocks, person_block[:count], lead[:count],
                                 lambda m: self._orcids.values[int(orcid_codes[m])]), person

    def _set(self, kind: str) -> tuple[np.ndarray, np.ndarray]:
        lengths, values = self._sets[kind]
        return _csr(lengths), np.frombuffer(values, dtype=np.int32)

    def context(self) -> Context:
        """The load's ``people.Context``, as ``people.context`` gives it for the same mentions."""
        return Context(*self._context(self.blocks()))

    def _context(self, blocks: list[str]) -> tuple[frozenset[str], frozenset[str]]:
        """``people.context`` of the mentions (no known people, no graph): rare surnames, common title words
        (its thresholds read at each call, as ``people.context`` reads them)."""
        by_surname: dict[str, int] = defaultdict(int)
        for block in blocks:
            by_surname[surname(block)] += 1
        rare = frozenset(b for b in blocks if by_surname[surname(b)] <= identity.RARE_BLOCKS) \
            if len(blocks) >= people.RARE_MIN_PEOPLE else frozenset()
        # The title words of each paper with mentions, from its last record (a loop over the mentions keeps that).
        paper = np.frombuffer(self._paper, dtype=np.int32)  # every row has a mention
        _, last = np.unique(paper[::-1], return_index=True)
        papers = len(paper) - 1 - last
        if len(papers) < people.COMMON_MIN_PAPERS:
            return rare, frozenset()
        offsets, words = self._set("words")
        _, values = _expand(offsets, words, papers)
        df = np.bincount(values, minlength=len(self._plain.values))
        limit = people.COMMON_SHARE * len(papers)
        return rare, frozenset(self._plain.values[c] for c in np.flatnonzero(df > limit).tolist())

    def _settle(self, ids: list[str], person: np.ndarray) -> None:
        """``Plan.settle``: each work's tuple of people (None where an authorship keeps its own id); or the
        people handed to ``bylines``."""
        ordinal_array = np.frombuffer(self._ordinal, dtype=np.int64)[np.frombuffer(self._row, dtype=np.int32)]
        if self.bylines is not None:
            self.bylines.people(ordinal_array, np.frombuffer(self._author, dtype=np.int32), ids, person)
            return
        ordinal = ordinal_array.tolist()
        rows: dict[int, list[str | None]] = {}
        for w, a, p in zip(ordinal, self._author.tolist(), person.tolist(), strict=True):
            found = rows.get(w)
            if found is None:
                found = rows[w] = []
            if len(found) <= a:
                found.extend([None] * (a + 1 - len(found)))
            found[a] = ids[p]
        self.person = {w: tuple(r) for w, r in rows.items()}

    def apply(self, works: Sequence[Work], first: int) -> list[Work]:
        """``Plan.apply``: ``works`` (the load's works ``first``, ``first + 1`` ...) with their people."""
        return [with_people(work, self.person.get(first + i, ())) for i, work in enumerate(works)]


PeoplePlan = Plan | ColumnPlan


def person_plan(empty_graph: bool) -> PeoplePlan:
    """The plan a load keeps: columns when the graph holds nobody (so no block has known people) and the
    library is built, else a ``people.Plan``."""
    return ColumnPlan() if empty_graph and native.available() else Plan()
