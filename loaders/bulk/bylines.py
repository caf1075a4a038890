"""The rows phase from columns: a first load's authorships noted while they are read, and merged into the in-memory
graph with array operations once the people are decided.

``_Graph.apply_spilled`` merges the spilled batches again, authorship by authorship (the bulk path's slowest
serial loop: about 9 µs an authorship, 68 s at a million papers). When the load's plan is a ``ColumnPlan``
(the native library and an empty graph: every bulk load where the library is built), ``ColumnPlan.add``
hands each work with its blocks to ``Bylines.note``, which keeps per authorship its name, byline, ORCID,
block and institutions (references, no look-up) and the code of its id where the plan does not cluster it;
the plan hands over the person of each clustered authorship (``Bylines.people``); and ``Bylines.apply``
leaves the picture of the graph as the spilled batches would: the same authors in the same order with the
same names, variants, ORCIDs and blocks, the same institutions, and the same AUTHORED rows in the same order
(tests/test_bylines.py compares the CSV files byte for byte).

The rules are ``_Graph._authorships``', per batch: an author is numbered at its first authorship; its name is
the best of all (``better_name``: the longest, then the first in text order, whatever the order); its variants
are its bylines in order of first sight; its ORCID the first given; its block the first given among its first
authorships of each batch; an institution's values are those of its first authorship in each batch, a given
value replacing; one AUTHORED per (author, paper) in a batch, in order of first sight, with the source and
byline of the first, the position of the last and the institutions of all, in order.
"""

from __future__ import annotations

import functools
import operator
from array import array
from collections.abc import Sequence
from itertools import repeat
from typing import TYPE_CHECKING

import numpy as np

from loaders.model import Institution, Work
from loaders.rows import better_name

if TYPE_CHECKING:
    from loaders.bulk.graph import _Graph


class _Interned:
    """Strings numbered in order of first sight; None is -1."""

    def __init__(self) -> None:
        self.code: dict[str | None, int] = {None: -1}
        self.values: list[str] = []

    def __call__(self, value: str | None) -> int:
        code = self.code.get(value)
        if code is None:
            code = self.code[value] = len(self.values)
            self.values.append(value)  # type: ignore[arg-type]  # None is never new
        return code


def _ints(values: array[int]) -> np.ndarray:
    return np.frombuffer(values, dtype=np.int32) if len(values) else np.zeros(0, dtype=np.int32)


def _given(values: Sequence[object]) -> np.ndarray:
    """Which of ``values`` are not None."""
    return np.fromiter(map(operator.is_not, values, repeat(None)), dtype=bool, count=len(values))


def _firsts(*keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows grouped by equal ``keys``, groups numbered in order of their first row: each group's first and last
    row, and each row's group."""
    n = len(keys[0])
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    order = np.lexsort((np.arange(n), *reversed(keys)))  # by the keys, then by row
    new = np.zeros(n, dtype=bool)
    new[0] = True
    for key in keys:
        sorted_key = key[order]
        new[1:] |= sorted_key[1:] != sorted_key[:-1]
    starts = np.flatnonzero(new)
    first = order[starts]
    last = order[np.append(starts[1:], n) - 1]
    by_first = np.argsort(first, kind="stable")
    rank = np.empty(len(starts), dtype=np.int64)
    rank[by_first] = np.arange(len(starts), dtype=np.int64)
    group = np.empty(n, dtype=np.int64)
    group[order] = rank[np.cumsum(new) - 1]
    return first[by_first], last[by_first], group


class Bylines:
    """Every authorship of a load, in load order (see the module's text).

    Kept per authorship: its name, byline, ORCID, block and institutions as the objects the parser gave (a list
    append each; numbering millions of distinct strings as they came cost the read phase more than the rows
    phase saved), and the code of its id where the plan does not cluster it (the clustered ones get their
    person's in ``people``).
    """

    def __init__(self) -> None:
        self.idents = _Interned()    # the unclustered authorships' ids and the people's ids share one numbering
        self.sources = _Interned()
        # Per work: its authorships, source and batch.
        self._count = array("i")
        self._source = array("i")
        self._batch = array("i")
        self._batches = 0
        # Per authorship.
        self._ident = array("i")     # -1: clustered (its person's id comes with ``people``)
        self._names: list[str] = []
        self._raws: list[str] = []
        self._orcids: list[str | None] = []
        self._blocks: list[str | None] = []
        self._insts: list[tuple[Institution, ...]] = []
        # The people (``people``): which authorships were clustered, and the id code of each one's person.
        self._clustered = np.zeros(0, dtype=np.int64)
        self._person = np.zeros(0, dtype=np.int32)

    def __len__(self) -> int:
        return len(self._ident)

    def batch(self) -> None:
        """A new batch begins (``ColumnPlan.add`` is called once per batch)."""
        self._batches += 1

    def note(self, work: Work, blocks: Sequence[str | None], own: Sequence[int]) -> None:
        """One work of the batch, with each authorship's block (``people.block_of``, as the plan computed it) and
        the indexes of the authorships the plan does not cluster (they keep their own ids)."""
        authors = work.authors
        self._count.append(len(authors))
        self._source.append(self.sources(work.source))
        self._batch.append(self._batches - 1)
        if not authors:
            return
        base = len(self._ident)
        self._ident.extend(_CLUSTERED * len(authors))
        for a in own:
            self._ident[base + a] = self.idents(authors[a].id)
        self._names.extend([a.name for a in authors])
        self._raws.extend([a.raw_name for a in authors])
        self._orcids.extend([a.orcid for a in authors])
        self._insts.extend([a.institutions for a in authors])
        self._blocks.extend(blocks)

    def people(self, ordinal: np.ndarray, author: np.ndarray, ids: Sequence[str], person: np.ndarray) -> None:
        """The decided people: authorship ``author[k]`` of the load's work ``ordinal[k]`` is person
        ``ids[person[k]]`` (``ColumnPlan``'s clustered authorships); every other one keeps its own id."""
        starts = np.zeros(len(self._count) + 1, dtype=np.int64)
        np.cumsum(_ints(self._count), out=starts[1:])
        self._clustered = starts[ordinal] + author
        codes = np.fromiter((self.idents(i) for i in ids), dtype=np.int32, count=len(ids))
        self._person = codes[person] if len(person) else np.zeros(0, dtype=np.int32)

    def apply(self, g: _Graph, papers: Sequence[array[int]]) -> None:
        """Merge every authorship into ``g`` (which holds no author yet): ``papers`` are the Paper numbers of
        the load's works, batch by batch (``_Graph.apply_papers``). The picture is final afterwards: its
        ``label_no`` (for merging further batches) is not kept, and each AUTHORED row has a label of its own."""
        if g.author_ids or g.inst_ids or len(g.authored["author"]):
            raise ValueError("Bylines.apply is for a graph that holds no authorship yet")
        count = _ints(self._count)
        work_paper = np.concatenate([_ints(p) for p in papers]) if papers else np.zeros(0, dtype=np.int32)
        if len(work_paper) != len(count):
            raise ValueError(f"{len(work_paper)} works have Paper numbers, {len(count)} were noted")
        n = len(self._ident)
        if n == 0:
            return
        work = np.repeat(np.arange(len(count), dtype=np.int64), count)
        ident = _ints(self._ident).astype(np.int64)
        ident[self._clustered] = self._person
        if (ident < 0).any():
            raise ValueError("an authorship the plan clustered has no person (the plan was not decided)")
        paper = work_paper[work].astype(np.int64)
        batch = _ints(self._batch)[work].astype(np.int64)
        starts = np.zeros(len(count) + 1, dtype=np.int64)
        np.cumsum(count, out=starts[1:])
        position = np.arange(n, dtype=np.int64) - starts[work] + 1

        number = self._authors(g, ident, batch)
        lists, inst_lists = self._lists()
        inst_set = self._institutions(g, lists, inst_lists, batch)
        self._authored(g, number, paper, position, batch, work, inst_set[lists])

    def _authors(self, g: _Graph, ident: np.ndarray, batch: np.ndarray) -> np.ndarray:
        """Authors numbered in order of first sight, with their name, variants, ORCID and block; each
        authorship's author number."""
        codes, first = np.unique(ident, return_index=True)
        codes = codes[np.argsort(first, kind="stable")]
        number_of = np.full(len(self.idents.values), -1, dtype=np.int64)
        number_of[codes] = np.arange(len(codes), dtype=np.int64)
        number: np.ndarray = number_of[ident]
        authors = len(codes)
        g.author_ids = [self.idents.values[c] for c in codes.tolist()]
        g.author_no = {author_id: k for k, author_id in enumerate(g.author_ids)}

        # Each author's authorships together, in load order: its name is the best of its names (better_name
        # orders them whatever the order seen), its variants its distinct bylines in order of first sight.
        order = np.argsort(number, kind="stable").tolist()
        bounds = np.searchsorted(number[order], np.arange(authors + 1)).tolist()
        names = list(map(self._names.__getitem__, order))   # (map: the loop in C, at 7 million bylines)
        raws = list(map(self._raws.__getitem__, order))
        g.author_name = []
        g.author_variants = []
        for a in range(authors):
            start, end = bounds[a], bounds[a + 1]
            if end - start == 1:
                g.author_name.append(names[start])
                g.author_variants.append([raws[start]])
                continue
            distinct = set(names[start:end])
            g.author_name.append(names[start] if len(distinct) == 1 else functools.reduce(better_name, distinct))
            g.author_variants.append(list(dict.fromkeys(raws[start:end])))

        # ORCID: the first given.
        orcids = self._orcids
        given = np.flatnonzero(_given(orcids))
        g.author_orcid = [None] * authors
        owners, at = np.unique(number[given], return_index=True)
        for a, k in zip(owners.tolist(), given[at].tolist(), strict=True):
            g.author_orcid[a] = orcids[k]

        # Block: the first given among each author's first authorship in each batch.
        blocks = self._blocks
        has_block = _given(blocks)
        heads, _, _ = _firsts(batch, number)
        heads = np.sort(heads[has_block[heads]])
        g.author_block = [None] * authors
        owners, at = np.unique(number[heads], return_index=True)
        for a, k in zip(owners.tolist(), heads[at].tolist(), strict=True):
            g.author_block[a] = blocks[k]
        return number

    def _lists(self) -> tuple[np.ndarray, list[tuple[Institution, ...]]]:
        """Each authorship's institutions as a code (0: none) into the distinct tuples the parsers gave, listed."""
        insts = self._insts
        lists = np.zeros(len(insts), dtype=np.int64)
        listed = np.flatnonzero(np.fromiter(map(bool, insts), dtype=bool, count=len(insts)))
        if not len(listed):
            return lists, [()]
        # The tuples by id() (``_insts`` holds them all), numbered from 1 in order of first sight.
        idents = np.fromiter(map(id, map(insts.__getitem__, listed.tolist())), dtype=np.int64, count=len(listed))
        _, first, inverse = np.unique(idents, return_index=True, return_inverse=True)
        by_first = np.argsort(first, kind="stable")
        code = np.empty(len(first), dtype=np.int64)
        code[by_first] = np.arange(1, len(first) + 1, dtype=np.int64)
        lists[listed] = code[inverse.reshape(-1)]
        inst_lists: list[tuple[Institution, ...]] = [()]
        inst_lists += map(insts.__getitem__, listed[first[by_first]].tolist())
        return lists, inst_lists

    def _institutions(self, g: _Graph, lists: np.ndarray, inst_lists: list[tuple[Institution, ...]],
                      batch: np.ndarray) -> np.ndarray:
        """Institutions numbered in order of first sight, with their values; per institution list code, its
        ``g.inst_set`` number (0: none)."""
        listed = np.flatnonzero(lists > 0)
        inst_set = np.zeros(len(inst_lists), dtype=np.int64)
        if not len(listed):
            return inst_set
        # Lists in order of their first authorship (the codes are); an institution's first sight is in the first
        # list holding it. Its values: those of its objects when they all agree; otherwise (``differ``) folded
        # below, batch by batch, from its first authorship in each batch (a given value replaces), as
        # _Graph._institution does.
        differ: set[str] = set()
        for insts in inst_lists:
            for inst in insts:
                values = [inst.name, inst.ror, inst.country, inst.type]
                number = g.inst_no.get(inst.id)
                if number is None:
                    g.inst_no[inst.id] = len(g.inst_ids)
                    g.inst_ids.append(inst.id)
                    g.inst_props.append(values)
                elif g.inst_props[number] != values:
                    differ.add(inst.id)
        if differ:
            for inst_id in differ:
                g.inst_props[g.inst_no[inst_id]] = [None] * 4
            folded: set[tuple[int, str]] = set()
            holding = np.asarray([any(i.id in differ for i in insts) for insts in inst_lists], dtype=bool)
            events, _, _ = _firsts(batch[listed], lists[listed])
            for k in events[holding[lists[listed][events]]].tolist():
                b = int(batch[listed[k]])
                for inst in inst_lists[int(lists[listed[k]])]:
                    if inst.id in differ and (b, inst.id) not in folded:
                        folded.add((b, inst.id))
                        props = g.inst_props[g.inst_no[inst.id]]
                        for i, value in enumerate((inst.name, inst.ror, inst.country, inst.type)):
                            if value is not None:
                                props[i] = value
        for code, insts in enumerate(inst_lists):
            if code:
                inst_set[code] = g.inst_set(tuple(dict.fromkeys(g.inst_no[i.id] for i in insts)))
        return inst_set

    def _authored(self, g: _Graph, number: np.ndarray, paper: np.ndarray, position: np.ndarray,
                  batch: np.ndarray, work: np.ndarray, sets: np.ndarray) -> None:
        """AUTHORED: one per (author, paper) in a batch, in order of first sight (``sets``: each authorship's
        ``g.inst_set`` number)."""
        first, last, group = _firsts(batch, number, paper)
        edge_sets = sets[first]
        repeated = first != last
        if repeated.any():  # a paper given twice in a batch: institutions unioned
            union: dict[int, tuple[int, ...]] = {}
            for k, s in zip(group[repeated[group]].tolist(), sets[repeated[group]].tolist(), strict=True):
                union[k] = tuple(dict.fromkeys(union.get(k, ()) + g.inst_sets[s]))  # in order of the rows
            for k, insts in union.items():
                edge_sets[k] = g.inst_set(insts) if insts else 0
        sources = self.sources.values
        source = _ints(self._source)[work[first]].tolist()
        raws = self._raws
        g.labels = list(zip(map(sources.__getitem__, source), map(raws.__getitem__, first.tolist()), strict=True))
        out = g.authored
        for name, values in (("author", number[first]), ("paper", paper[first]), ("position", position[last]),
                             ("insts", edge_sets), ("label", np.arange(len(first)))):
            out[name] = array("i", values.astype(np.int32).tobytes())


_CLUSTERED = array("i", [-1])  # an authorship whose id its person gives
