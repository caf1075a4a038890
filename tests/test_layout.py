"""The layout's building blocks (views/layout.py): pure functions, no database, checked against plain
all-pairs loops and networkx's own spring layout."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

from graph.neighbourhood import Edge
from views import layout as lay


def overlapping(xy: np.ndarray, boxes: np.ndarray, gap: float) -> set[tuple[int, int]]:
    """Every pair whose boxes come closer than ``gap``, one pair at a time: the test's own rule."""
    out = set()
    for i, j in itertools.combinations(range(len(xy)), 2):
        if (abs(xy[i][0] - xy[j][0]) < (boxes[i][0] + boxes[j][0]) / 2 + gap
                and abs(xy[i][1] - xy[j][1]) < (boxes[i][1] + boxes[j][1]) / 2 + gap):
            out.add((i, j))
    return out


def scene(seed: int, n: int, spread: float) -> tuple[np.ndarray, np.ndarray]:
    """``n`` boxes of the sizes the explorer draws (markers among them), scattered; a third stacked on one point."""
    rng = np.random.default_rng(seed)
    xy = rng.normal(size=(n, 2)) * spread
    xy[: n // 3] = (5.0, -5.0)
    side = rng.uniform(24, 84, size=n)
    boxes = np.column_stack([side, side])
    boxes[rng.random(n) < 0.2] = (30.0, 22.0)
    return xy, boxes


@pytest.mark.parametrize(("seed", "n", "spread", "gap"), [(1, 2, 5.0, 0.0), (2, 40, 60.0, 14.0),
                                                          (3, 150, 400.0, 0.0), (4, 300, 900.0, 14.0)])
def test_close_pairs_are_exactly_the_overlapping_pairs(seed: int, n: int, spread: float, gap: float) -> None:
    xy, boxes = scene(seed, n, spread)
    i, j = lay.close_pairs(xy, boxes, gap)
    found = list(zip(i.tolist(), j.tolist(), strict=True))
    assert len(found) == len(set(found)) and all(a < b for a, b in found)
    assert set(found) == overlapping(xy, boxes, gap)
    assert overlapping(xy, boxes, gap)   # the scene has overlaps to find (a third on one point)


@pytest.mark.parametrize(("seed", "n"), [(5, 2), (6, 60), (7, 200)])
def test_separate_leaves_no_overlap_and_keeps_fixed_nodes(seed: int, n: int) -> None:
    xy, boxes = scene(seed, n, 50.0)
    movable = np.arange(n) % 4 != 1
    movable[: n // 3] = True           # the stacked ones can move, except that one stays (below)
    movable[0] = False
    # Fixed nodes apart from each other, or no rule could separate them.
    fixed = np.flatnonzero(~movable)
    xy[fixed] = np.column_stack([np.arange(len(fixed)) * 200.0, np.full(len(fixed), 3000.0)])
    xy[0] = (5.0, -5.0)
    out = lay.separate(xy, boxes, movable, lay.GAP)
    assert overlapping(out, boxes, lay.GAP) == set()
    assert np.array_equal(out[~movable], xy[~movable])
    # Deterministic: the same input gives the same positions (a permalink shows what was shared).
    assert np.array_equal(out, lay.separate(xy, boxes, movable, lay.GAP))


def test_spring_is_networkx_fruchterman_reingold() -> None:
    g = nx.les_miserables_graph()
    ids = list(g)
    rng = np.random.default_rng(8)
    start = {node: tuple(rng.uniform(-1, 1, size=2)) for node in ids}
    k = 1.6 / np.sqrt(len(ids))
    for iterations in (1, 10):
        expected = nx.spring_layout(g, pos=start, k=k, iterations=iterations, weight="weight", scale=None, seed=1)
        mine = lay.spring(nx.to_numpy_array(g, nodelist=ids, weight="weight"),
                          np.array([start[i] for i in ids]), k, iterations)
        assert np.allclose(mine, np.array([expected[i] for i in ids]), atol=1e-9), iterations


def test_a_view_laid_out_again_comes_from_the_cache_and_equals_a_fresh_layout() -> None:
    from tests.test_elements import star
    from views import elements as el

    def positions(elements: list[dict]) -> dict[str, dict]:
        return {e["data"]["id"]: e["position"] for e in elements if "source" not in e["data"]}

    lay.clear_cache()
    first = positions(el.slice_elements(star(30, 30)))
    hits = lay._positions.cache_info().hits
    assert positions(el.slice_elements(star(30, 30))) == first
    assert lay._positions.cache_info().hits == hits + 1
    # A different view (one collaboration stronger) is laid out on its own, not read from the cache.
    sl = star(30, 30)
    sl.edges[0] = Edge(sl.edges[0].source, sl.edges[0].target, "COAUTHOR", 40)
    misses = lay._positions.cache_info().misses
    el.slice_elements(sl)
    assert lay._positions.cache_info().misses == misses + 1
    lay.clear_cache()
    assert positions(el.slice_elements(star(30, 30))) == first
