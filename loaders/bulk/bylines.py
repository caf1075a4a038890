"""The rows phase from columns: a first load's authorships noted as integer codes while they are read, and merged
into the in-memory graph with array operations once the people are decided.

``_Graph.apply_spilled`` merges the spilled batches again, authorship by authorship (the bulk path's slowest
serial loop: about 9 µs an authorship, 68 s at a million papers). When the load's plan is a ``ColumnPlan``
(the native library and an empty graph: every bulk load where the library is built), ``ColumnPlan.add``
hands each work with its blocks to ``Bylines.note``, which keeps per authorship the codes of its id, name,
byline, ORCID, block and institutions; the plan hands over the person of each clustered authorship
(``Bylines.people``); and ``Bylines.apply`` leaves the picture of the graph as the spilled batches would:
the same authors in the same order with the same names, variants, ORCIDs and blocks, the same institutions,
and the same AUTHORED rows in the same order (tests/test_bylines.py compares the CSV files byte for byte).

The rules are ``_Graph._authorships``', per batch: an author is numbered at its first authorship; its name is
the best of all (``better_name``: the longest, then the first in text order, whatever the order); its variants
are its bylines in order of first sight; its ORCID the first given; its block the first given among its first
authorships of each batch; an institution's values are those of its first authorship in each batch, a given
value replacing; one AUTHORED per (author, paper) in a batch, in order of first sight, with the source and
byline of the first, the position of the last and the institutions of all, in order.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
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
    """Every authorship of a load as codes, in load order (see the module's text)."""

    def __init__(self) -> None:
        self.idents = _Interned()    # the authorships' own ids and the people's ids share one numbering
        self.names = _Interned()
        self.raws = _Interned()
        self.orcids = _Interned()
        self.blocks = _Interned()
        self.sources = _Interned()
        # Institution lists by code (0: none), one per distinct tuple the parsers share (kept, so that its id()
        # is not reused while it is remembered).
        self.inst_lists: list[tuple[Institution, ...]] = [()]
        self._inst_code: dict[int, int] = {}
        # Per work: its authorships, source and batch.
        self._count = array("i")
        self._source = array("i")
        self._batch = array("i")
        self._batches = 0
        # Per authorship: the code of its (id, name, byline, ORCID, block, institutions) in the columns below, one
        # entry per distinct Authorship object of a batch (the parsers share one for repeated listings).
        self._entry = array("i")
        self._memo: dict[int, int] = {}
        self._ident = array("i")
        self._name = array("i")
        self._raw = array("i")
        self._orcid = array("i")
        self._block = array("i")
        self._insts = array("i")
        # The people (``people``): which authorships were clustered, and the id code of each one's person.
        self._clustered = np.zeros(0, dtype=np.int64)
        self._person = np.zeros(0, dtype=np.int32)

    def __len__(self) -> int:
        return len(self._entry)

    def batch(self) -> None:
        """A new batch begins (``ColumnPlan.add`` is called once per batch)."""
        self._batches += 1
        self._memo.clear()  # its keys are the id()s of the last batch's Authorship objects

    def note(self, work: Work, blocks: Sequence[str | None]) -> None:
        """One work of the batch, with each authorship's block (``people.block_of``, as the plan computed it)."""
        authors = work.authors
        self._count.append(len(authors))
        self._source.append(self.sources(work.source))
        self._batch.append(self._batches - 1)
        memo, entry = self._memo, self._entry
        for author, block in zip(authors, blocks, strict=True):
            code = memo.get(id(author))
            if code is None:
                code = memo[id(author)] = len(self._ident)
                self._ident.append(self.idents(author.id))
                self._name.append(self.names(author.name))
                self._raw.append(self.raws(author.raw_name))
                self._orcid.append(self.orcids(author.orcid))
                self._block.append(self.blocks(block))
                self._insts.append(self._inst_list(author.institutions) if author.institutions else 0)
            entry.append(code)

    def _inst_list(self, insts: tuple[Institution, ...]) -> int:
        code = self._inst_code.get(id(insts))
        if code is None:
            code = self._inst_code[id(insts)] = len(self.inst_lists)
            self.inst_lists.append(insts)
        return code

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
        ``label_no`` (for merging further batches) is not kept."""
        if g.author_ids or g.inst_ids or len(g.authored["author"]):
            raise ValueError("Bylines.apply is for a graph that holds no authorship yet")
        count = _ints(self._count)
        work_paper = np.concatenate([_ints(p) for p in papers]) if papers else np.zeros(0, dtype=np.int32)
        if len(work_paper) != len(count):
            raise ValueError(f"{len(work_paper)} works have Paper numbers, {len(count)} were noted")
        n = len(self._entry)
        if n == 0:
            return
        work = np.repeat(np.arange(len(count), dtype=np.int64), count)
        entry = _ints(self._entry)
        ident = _ints(self._ident)[entry].astype(np.int64)
        ident[self._clustered] = self._person
        paper = work_paper[work].astype(np.int64)
        batch = _ints(self._batch)[work].astype(np.int64)
        starts = np.zeros(len(count) + 1, dtype=np.int64)
        np.cumsum(count, out=starts[1:])
        position = np.arange(n, dtype=np.int64) - starts[work] + 1

        number = self._authors(g, ident, entry, batch)
        inst_set = self._institutions(g, entry, batch)
        self._authored(g, number, paper, position, batch, entry, work, inst_set)

    def _authors(self, g: _Graph, ident: np.ndarray, entry: np.ndarray, batch: np.ndarray) -> np.ndarray:
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

        # Names: the best of each author's distinct names (better_name orders them whatever the order seen).
        name = _ints(self._name)[entry].astype(np.int64)
        pairs = np.unique(number * max(1, len(self.names.values)) + name)
        owner, which = np.divmod(pairs, max(1, len(self.names.values)))
        values = self.names.values
        names: list[str] = [values[c] for c in which[np.unique(owner, return_index=True)[1]].tolist()]
        several = (np.bincount(owner, minlength=authors) > 1)[owner]
        for a, c in zip(owner[several].tolist(), which[several].tolist(), strict=True):
            names[a] = better_name(names[a], values[c])
        g.author_name = names

        # Variants: each author's distinct bylines in order of first sight.
        raw = _ints(self._raw)[entry].astype(np.int64)
        first, _, _ = _firsts(number, raw)
        order = np.lexsort((first, number[first]))
        chosen = first[order]
        bylines = [self.raws.values[c] for c in raw[chosen].tolist()]
        bounds = np.searchsorted(number[chosen], np.arange(authors + 1)).tolist()
        g.author_variants = [bylines[bounds[a]:bounds[a + 1]] for a in range(authors)]

        # ORCID: the first given.
        orcid = _ints(self._orcid)[entry]
        g.author_orcid = [None] * authors
        given = np.flatnonzero(orcid >= 0)
        owners, at = np.unique(number[given], return_index=True)
        for a, c in zip(owners.tolist(), orcid[given[at]].tolist(), strict=True):
            g.author_orcid[a] = self.orcids.values[c]

        # Block: the first given among each author's first authorship in each batch.
        block = _ints(self._block)[entry]
        heads, _, _ = _firsts(batch, number)
        heads = np.sort(heads[block[heads] >= 0])
        g.author_block = [None] * authors
        owners, at = np.unique(number[heads], return_index=True)
        for a, c in zip(owners.tolist(), block[heads[at]].tolist(), strict=True):
            g.author_block[a] = self.blocks.values[c]
        return number

    def _institutions(self, g: _Graph, entry: np.ndarray, batch: np.ndarray) -> np.ndarray:
        """Institutions numbered in order of first sight, with their values; per institution list code, its
        ``g.inst_set`` number (0: none)."""
        lists = _ints(self._insts)[entry]
        listed = np.flatnonzero(lists > 0)
        inst_set = np.zeros(len(self.inst_lists), dtype=np.int64)
        if not len(listed):
            return inst_set
        # Lists in order of their first authorship; an institution's first sight is in the first list holding it.
        codes, first = np.unique(lists[listed], return_index=True)
        for code in codes[np.argsort(first, kind="stable")].tolist():
            for inst in self.inst_lists[code]:
                if inst.id not in g.inst_no:
                    g.inst_no[inst.id] = len(g.inst_ids)
                    g.inst_ids.append(inst.id)
                    g.inst_props.append([inst.name, inst.ror, inst.country, inst.type])
        # Values: an institution whose objects all agree has them; otherwise fold, batch by batch, the values of
        # its first authorship in that batch (a given value replaces), as _Graph._institution does.
        seen: dict[str, tuple[str | None, ...]] = {}
        differ: set[str] = set()
        for insts in self.inst_lists[1:]:
            for inst in insts:
                values = (inst.name, inst.ror, inst.country, inst.type)
                if seen.setdefault(inst.id, values) != values:
                    differ.add(inst.id)
        if differ:
            for inst_id in differ:
                g.inst_props[g.inst_no[inst_id]] = [None] * 4
            folded: set[tuple[int, str]] = set()
            holding = np.asarray([any(i.id in differ for i in insts) for insts in self.inst_lists], dtype=bool)
            events, _, _ = _firsts(batch[listed], lists[listed])
            for k in events[holding[lists[listed][events]]].tolist():
                b = int(batch[listed[k]])
                for inst in self.inst_lists[int(lists[listed[k]])]:
                    if inst.id in differ and (b, inst.id) not in folded:
                        folded.add((b, inst.id))
                        props = g.inst_props[g.inst_no[inst.id]]
                        for i, value in enumerate((inst.name, inst.ror, inst.country, inst.type)):
                            if value is not None:
                                props[i] = value
        for code, insts in enumerate(self.inst_lists):
            if code:
                inst_set[code] = g.inst_set(tuple(dict.fromkeys(g.inst_no[i.id] for i in insts)))
        return inst_set

    def _authored(self, g: _Graph, number: np.ndarray, paper: np.ndarray, position: np.ndarray,
                  batch: np.ndarray, entry: np.ndarray, work: np.ndarray, inst_set: np.ndarray) -> None:
        """AUTHORED: one per (author, paper) in a batch, in order of first sight."""
        first, last, group = _firsts(batch, number, paper)
        sets = inst_set[_ints(self._insts)[entry]]
        edge_sets = sets[first]
        repeated = first != last
        if repeated.any():  # a paper given twice in a batch, or an author listed twice: institutions unioned
            union: dict[int, tuple[int, ...]] = {}
            for k, s in zip(group[repeated[group]].tolist(), sets[repeated[group]].tolist(), strict=True):
                union[k] = tuple(dict.fromkeys(union.get(k, ()) + g.inst_sets[s]))  # in order of the rows
            for k, insts in union.items():
                edge_sets[k] = g.inst_set(insts) if insts else 0
        raw = _ints(self._raw)[entry][first].astype(np.int64)
        source = _ints(self._source)[work[first]].astype(np.int64)
        label_keys, label = np.unique(source * max(1, len(self.raws.values)) + raw, return_inverse=True)
        sources, raws = np.divmod(label_keys, max(1, len(self.raws.values)))
        g.labels = [(self.sources.values[s], self.raws.values[r])
                    for s, r in zip(sources.tolist(), raws.tolist(), strict=True)]
        out = g.authored
        for name, values in (("author", number[first]), ("paper", paper[first]), ("position", position[last]),
                             ("insts", edge_sets), ("label", label)):
            out[name] = array("i", values.astype(np.int32).tobytes())
