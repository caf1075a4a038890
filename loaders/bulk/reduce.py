"""Grouped reductions with numpy: pair keys packed with a year, and each author's ranked top co-authors."""

from __future__ import annotations

import numpy as np

from loaders.bulk.common import _NO_YEAR, _YEAR_BASE

# The widest packed key the rankings sort (``_ranked_top``; tests make it 0 to take the other way).
_PACKED_BITS = 63


def _year_codes(years: np.ndarray) -> np.ndarray:
    return np.where(years < 0, _NO_YEAR, years.astype(np.int64) - _YEAR_BASE).astype(np.int64)


def _reduce(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sorted (key << 12 | year code) -> per key: key, count, first year, last year (-1: none)."""
    packed.sort()
    keys = packed >> 12
    codes = packed & 0xFFF
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    ends = np.append(starts[1:], len(packed))
    counts = ends - starts
    missing = np.add.reduceat((codes == _NO_YEAR).astype(np.int64), starts) if len(starts) else starts
    dated = counts > missing
    first = np.where(dated, codes[starts] + _YEAR_BASE, -1)
    last = np.where(dated, codes[np.maximum(ends - 1 - missing, starts)] + _YEAR_BASE, -1)
    return keys[starts], counts, first, last


class _TopCoauthors:
    """Each author's ``size`` strongest co-authors, as loaders.derive ranks them (joint works, last year, id),
    gathered span by span from the reduced COAUTHOR pairs; ``result`` keeps the authors with enough of them.

    Authors are in rank space (the id order), so the smaller "other" is the smaller id. Each span keeps its
    own top ``size`` per author (a superset of the final top's members from that span), and the degrees.
    """

    def __init__(self, n_authors: int, size: int) -> None:
        self.size = size
        self.degree = np.zeros(n_authors, dtype=np.int64)
        self.kept: list[tuple[np.ndarray, ...]] = []

    def add(self, keys: np.ndarray, n: int, works: np.ndarray, first: np.ndarray, last: np.ndarray) -> None:
        """One span of reduced pairs (``keys`` = smaller * n + larger, ascending)."""
        a, b = keys // n, keys % n
        self.degree += np.bincount(a, minlength=len(self.degree)) + np.bincount(b, minlength=len(self.degree))
        # Each pair twice, as (owner, other): first with the larger as owner, then with the smaller. Among one
        # owner's entries the index then grows with the other (the keys are ascending), so the index can stand
        # for the other in the ranking, and index % len(keys) is the pair, whose values travel along.
        owner, other = np.concatenate((b, a)), np.concatenate((a, b))
        del a, b
        both_works, both_last = np.concatenate((works, works)), np.concatenate((last, last))
        pick = _ranked_top(owner, both_works, both_last, self.size)
        if pick is None:   # the values do not fit one packed key: by index
            pick = _ranked_top_by_index(owner, both_works, both_last, other, self.size)
        pair = pick % len(keys)
        # Kept as 32-bit integers (most entries are kept: the spans hold few of an author's co-authors each).
        self.kept.append(tuple(values.astype(np.int32) for values in (
            owner[pick], other[pick], works[pair], first[pair], last[pair])))

    def result(self, min_degree: int) -> tuple[np.ndarray, ...]:
        """(owner, other, works, first, last) of the authors with more than ``min_degree`` co-authors, ranked."""
        if not self.kept:
            return tuple(np.zeros(0, dtype=np.int64) for _ in range(5))
        owner, other, works, first, last = (np.concatenate(parts) for parts in zip(*self.kept, strict=True))
        self.kept.clear()
        hub = self.degree[owner] > min_degree
        owner, other, works, first, last = owner[hub], other[hub], works[hub], first[hub], last[hub]
        pick = _ranked_top_by_index(owner, works, last, other, self.size)
        return owner[pick], other[pick], works[pick], first[pick], last[pick]


def _within_top(grouped: np.ndarray, size: int) -> np.ndarray:
    """For values grouped by owner (ascending, ranked within): which are among their owner's first ``size``."""
    starts = np.flatnonzero(np.concatenate(([True], grouped[1:] != grouped[:-1])))
    within = np.arange(len(grouped)) - np.repeat(starts, np.diff(np.append(starts, len(grouped))))
    return within < size


def _value_bits(works: np.ndarray, last: np.ndarray) -> tuple[int, int, int, int, int]:
    """What the packed ranking keys need of the values: the lowest last year, the largest works count, the span of
    the last years, and the bits of those two."""
    low = int(last.min())
    wmax, cmax = int(works.max()), int(last.max()) - low
    return low, wmax, cmax, wmax.bit_length(), cmax.bit_length()


def _ranked_top(owner: np.ndarray, works: np.ndarray, last: np.ndarray, size: int) -> np.ndarray | None:
    """The indices of each owner's ``size`` best entries (most works, then latest last year, -1 lowest, then the
    smallest index), grouped by owner ascending and ranked within: one sort of a packed 63-bit key, several
    times faster than sorting indices. None when the values do not fit one key."""
    if not len(owner):
        return np.zeros(0, dtype=np.int64)
    low, wmax, cmax, wb, cb = _value_bits(works, last)
    ob, ib = int(owner.max()).bit_length(), (len(owner) - 1).bit_length()
    if ob + wb + cb + ib > _PACKED_BITS:
        return None
    key = ((((owner << wb) | (wmax - works)) << cb | (cmax - (last - low))) << ib) | np.arange(len(owner))
    key.sort()
    key = key[_within_top(key >> (ib + cb + wb), size)]
    picked: np.ndarray = key & ((1 << ib) - 1)
    return picked


def _ranked_top_by_index(owner: np.ndarray, works: np.ndarray, last: np.ndarray, other: np.ndarray,
                         size: int) -> np.ndarray:
    """The indices of each owner's ``size`` best entries (most works, then latest last year, -1 lowest, then the
    smallest other), grouped by owner ascending and ranked within, for entries whose (owner, other) are
    distinct: one argsort of a packed key when the values fit 63 bits, else a sort by each value in turn."""
    if not len(owner):
        return np.zeros(0, dtype=np.int64)
    low, wmax, cmax, wb, cb = _value_bits(works, last)
    ob = int(max(owner.max(), other.max())).bit_length()
    if 2 * ob + wb + cb <= _PACKED_BITS:
        owner64, other64, works64, last64 = (v.astype(np.int64) for v in (owner, other, works, last))
        order = np.argsort(((((owner64 << wb) | (wmax - works64)) << cb | (cmax - (last64 - low))) << ob) | other64)
    else:
        order = np.lexsort((other, -last, -works, owner))
    kept: np.ndarray = order[_within_top(owner[order], size)]
    return kept
