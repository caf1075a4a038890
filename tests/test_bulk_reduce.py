"""Each author's ranked top co-authors on the bulk path (``loaders.bulk.reduce._TopCoauthors``), gathered span by
span from the reduced COAUTHOR pairs, against the ranking done pair by pair (issue #9: the bulk path's derive
phase). Both ways of ranking are checked: one packed key, and, when the values would not fit one, value by value.
"""

from __future__ import annotations

import random
from collections import defaultdict

import numpy as np
import pytest

from loaders.bulk import reduce


def pairs(seed: int, authors: int, count: int) -> dict[tuple[int, int], tuple[int, int, int]]:
    """Random distinct pairs (smaller, larger) -> (works, first year, last year; -1 when undated), with many ties."""
    rng = random.Random(seed)
    out: dict[tuple[int, int], tuple[int, int, int]] = {}
    while len(out) < count:
        a, b = sorted(rng.sample(range(authors), 2))
        if rng.random() < 0.1:
            out[(a, b)] = (rng.randint(1, 3), -1, -1)
        else:
            first = rng.randint(1995, 2020)
            out[(a, b)] = (rng.randint(1, 3), first, first + rng.randint(0, 3))
    return out


def expected(found: dict[tuple[int, int], tuple[int, int, int]], min_degree: int, size: int
             ) -> dict[int, list[tuple[int, int, int, int]]]:
    """Per author with more than ``min_degree`` co-authors: its ``size`` strongest (most works, latest last year,
    then the smallest id) as (other, works, first, last)."""
    by_author: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
    for (a, b), (works, first, last) in found.items():
        by_author[a].append((b, works, first, last))
        by_author[b].append((a, works, first, last))
    return {author: sorted(entries, key=lambda e: (-e[1], -e[3], e[0]))[:size]
            for author, entries in by_author.items() if len(entries) > min_degree}


def ranked(found: dict[tuple[int, int], tuple[int, int, int]], authors: int, spans: int, min_degree: int,
           size: int) -> dict[int, list[tuple[int, int, int, int]]]:
    """The same through ``_TopCoauthors``: the pairs in key order, cut into ``spans`` spans."""
    keys = sorted(a * authors + b for a, b in found)
    top = reduce._TopCoauthors(authors, size)
    for part in np.array_split(np.asarray(keys, dtype=np.int64), spans):
        values = [found[(k // authors, k % authors)] for k in part.tolist()]
        works, first, last = (np.asarray(v, dtype=np.int64).reshape(len(values)) for v in zip(*values, strict=True))
        top.add(part, authors, works, first, last)
    owner, other, works, first, last = top.result(min_degree)
    out: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
    for row in zip(owner.tolist(), other.tolist(), works.tolist(), first.tolist(), last.tolist(), strict=True):
        out[row[0]].append(row[1:])
    assert owner.tolist() == sorted(owner.tolist()), "grouped by author, ascending"
    return dict(out)


@pytest.mark.parametrize("packed", [True, False])
@pytest.mark.parametrize("spans", [1, 7])
def test_the_top_co_authors_are_the_ones_ranked_pair_by_pair(packed: bool, spans: int,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    if not packed:
        monkeypatch.setattr(reduce, "_PACKED_BITS", 0)
    found = pairs(seed=spans, authors=300, count=6_000)
    want = expected(found, min_degree=30, size=8)
    assert 20 < len(want) < 300  # authors both above and below the threshold
    assert ranked(found, 300, spans, min_degree=30, size=8) == want
