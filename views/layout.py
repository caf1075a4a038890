"""Positions for every graph view, computed on the server: force-directed or rings by distance, never overlapping.

Why on the server: positions are then data (a Cytoscape ``preset`` layout), so
a slice lays out the same for everyone and every time, an expansion can keep
each node already in view exactly where it was, and tests check the geometry
without a browser. Fruchterman-Reingold (networkx's dense algorithm, redone on
two planes for speed: ``spring``) does the force-directed part; a box-separation
pass (Gephi's Noverlap idea, on the nodes' bounding boxes, which is what a reader
sees overlap; pairs found by a sweep, not all against all) follows, and a spiral
search settles any node the pass could not free.

Communities come from networkx's Louvain over the view's co-author edges
(weighted by joint works) with a fixed seed, so a link shows the same colours.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx
import numpy as np

LAYOUTS = ("force", "rings")
GAP = 14.0              # px between the boxes of two nodes
SEED = 7                # layouts and communities are deterministic
MARKER_BOX = (26.0, 18.0)   # a '+N more' marker's width and height (explorer stylesheet)
BORDER = 4.0            # the widest border a node gets (centre, selection), counted in its box
SPRING_ITERATIONS = 50
# The dense Fruchterman-Reingold costs O(n^2) per iteration (networkx itself turns to scipy's sparse form at
# 500 nodes; scipy is not a dependency): bigger views (the console's) are laid out in rings instead.
FORCE_MAX_NODES = 450
SEPARATION_ROUNDS = 300
NEWCOMER_SPREAD = math.radians(200)   # an expansion's newcomers go out of the view's middle, not back into it
EDGE_LENGTH = 95.0      # px: the spring layout's ideal distance, before sizes are added
# Community colours (colour-blind-safe Tableau 10 order, type colours left out); small groups share grey.
PALETTE = ("#4e79a7", "#e15759", "#59a14f", "#b07aa1", "#f28e2b", "#76b7b2", "#edc948", "#ff9da7",
           "#9c755f", "#17becf")
SMALL_GROUP = "#9aa5b4"


def is_node(e: Mapping[str, Any]) -> bool:
    return "source" not in e["data"]


def box(e: Mapping[str, Any]) -> tuple[float, float]:
    """Width and height of a node as drawn (markers are small round rectangles)."""
    if e["data"].get("type") == "more":
        return MARKER_BOX[0] + BORDER, MARKER_BOX[1] + BORDER
    size = float(e["data"].get("size") or 30) + BORDER
    return size, size


def _graph(elements: Sequence[Mapping[str, Any]]) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(e["data"]["id"] for e in elements if is_node(e))
    for e in elements:
        d = e["data"]
        if "source" in d and d["source"] in g and d["target"] in g and d["source"] != d["target"]:
            # Strong collaborations pull harder, but a 40-work pair must not collapse onto itself.
            g.add_edge(d["source"], d["target"], weight=1.0 + math.log1p(float(d.get("weight") or 1)) / 2)
    return g


# -- force-directed -------------------------------------------------------------------------------------
def force_layout(elements: list[dict[str, Any]], centre: str | None = None) -> None:
    """Positions in place: spring layout scaled to the nodes' sizes, the centre at (0, 0), no overlaps."""
    nodes = [e for e in elements if is_node(e)]
    if not nodes:
        return
    g = _graph(elements)
    ids = [e["data"]["id"] for e in nodes]
    boxes = np.array([box(e) for e in nodes])
    # Room for every node and the space around it: the side of a square holding them loosely.
    spacing = boxes.max(axis=1) + EDGE_LENGTH
    side = float(np.sqrt(np.sum(spacing ** 2))) * 0.9
    start = _ring_start(nodes, centre)
    if len(nodes) == 1:
        xy = np.zeros((1, 2))
    else:
        adjacency = nx.to_numpy_array(g, nodelist=ids, weight="weight")
        xy = spring(adjacency, np.array([start[i] for i in ids], dtype=float), 1.6 / math.sqrt(len(nodes)),
                    SPRING_ITERATIONS)
        # Centred and scaled as networkx's spring_layout(scale=side / 2) does.
        xy -= xy.mean(axis=0)
        xy *= side / 2 / (float(np.abs(xy).max()) or 1.0)
    if centre in start:
        xy -= xy[ids.index(centre)]
    xy = separate(xy, boxes, np.ones(len(ids), dtype=bool))
    _write(nodes, xy)


def spring(adjacency: np.ndarray, xy: np.ndarray, k: float, iterations: int,
           threshold: float = 1e-4) -> np.ndarray:
    """Fruchterman-Reingold from ``xy``: networkx's dense ``_fruchterman_reingold`` step for step (the same
    forces, cooling and stop rule, so the same layout to rounding), on x and y apart.

    Why not networkx's own: it builds an n x n x 2 array and takes ``np.linalg.norm`` over its last axis
    every iteration, which was most of its time; two n x n planes and ``einsum`` do the same arithmetic
    about twice as fast at 150-300 nodes."""
    x, y = xy[:, 0].astype(float), xy[:, 1].astype(float)
    n = len(x)
    t = max(float(np.ptp(x)), float(np.ptp(y))) * 0.1
    cooling = t / (iterations + 1)
    for _ in range(iterations):
        dx = x[:, None] - x[None, :]
        dy = y[:, None] - y[None, :]
        d2 = dx * dx + dy * dy
        np.clip(d2, 1e-4, None, out=d2)          # distance at least 0.01, as networkx clips it
        force = k * k / d2 - adjacency * np.sqrt(d2) / k
        move_x = np.einsum("ij,ij->i", dx, force)
        move_y = np.einsum("ij,ij->i", dy, force)
        limit = t / np.clip(np.hypot(move_x, move_y), 0.01, None)
        move_x *= limit
        move_y *= limit
        x += move_x
        y += move_y
        t -= cooling
        if math.sqrt(float(np.sum(move_x * move_x + move_y * move_y))) / n < threshold:
            break
    return np.column_stack([x, y])


def _ring_start(nodes: list[dict[str, Any]], centre: str | None) -> dict[str, tuple[float, float]]:
    """A starting point for the spring layout: the rings, so the result keeps the centre in the middle and
    each neighbour near the node it was reached from (the spring layout would otherwise start at random)."""
    copy = [{"data": dict(e["data"])} for e in nodes]
    rings_layout(copy, centre, separate_after=False)
    top = max((max(abs(e["position"]["x"]), abs(e["position"]["y"])) for e in copy), default=1.0) or 1.0
    return {e["data"]["id"]: (e["position"]["x"] / top, e["position"]["y"] / top) for e in copy}


# -- rings by distance ------------------------------------------------------------------------------------
def rings_layout(elements: list[dict[str, Any]], centre: str | None = None, *, separate_after: bool = True) -> None:
    """Positions in place: the centre at (0, 0), each distance on its own ring (wide enough for its nodes),
    nodes on a ring in the order of the nodes they were reached from, so each sits behind its parent."""
    nodes = [e for e in elements if is_node(e)]
    if not nodes:
        return
    by_id = {e["data"]["id"]: e for e in nodes}
    depth = {node_id: _depth(by_id, node_id, centre) for node_id in by_id}
    rings: dict[int, list[dict[str, Any]]] = {}
    for e in nodes:
        rings.setdefault(depth[e["data"]["id"]], []).append(e)
    angle: dict[str, float] = {}
    radius = 0.0
    order = {"author": 0, "paper": 1, "topic": 2, "institution": 3, "more": 4}
    for ring in sorted(rings):
        members = rings[ring]
        if ring == 0 and len(members) == 1:
            members[0]["position"] = {"x": 0.0, "y": 0.0}
            angle[members[0]["data"]["id"]] = -math.pi / 2
            continue
        members.sort(key=lambda e: (angle.get(e["data"].get("parent_node") or "", 0.0) if ring > 1 else 0.0,
                                    e["data"].get("community", 99), order.get(e["data"].get("type"), 9),
                                    e["data"].get("rank", 0), e["data"]["id"]))
        widths = [math.hypot(*box(e)) + 2 * GAP for e in members]
        needed = sum(widths) / (2 * math.pi)
        previous = max((math.hypot(*box(e)) for e in rings.get(ring - 1, [])), default=0.0)
        radius = max(radius + previous / 2 + max(math.hypot(*box(e)) for e in members) / 2 + EDGE_LENGTH, needed)
        total, walked = sum(widths), 0.0
        for e, w in zip(members, widths, strict=True):
            a = -math.pi / 2 + 2 * math.pi * (walked + w / 2) / total
            walked += w
            angle[e["data"]["id"]] = a
            e["position"] = {"x": round(radius * math.cos(a), 1), "y": round(radius * math.sin(a), 1)}
    if separate_after:
        xy = np.array([[e["position"]["x"], e["position"]["y"]] for e in nodes], dtype=float)
        _write(nodes, separate(xy, np.array([box(e) for e in nodes]), np.ones(len(nodes), dtype=bool)))


def _depth(by_id: Mapping[str, Mapping[str, Any]], node_id: str, centre: str | None) -> int:
    """Distance from the centre along ``parent_node`` links (a node without a known parent: one ring out)."""
    steps, seen = 0, set()
    while node_id != centre and node_id not in seen:
        seen.add(node_id)
        parent = by_id[node_id]["data"].get("parent_node")
        steps += 1
        if not parent or parent not in by_id:
            return steps
        node_id = parent
    return steps


def layout(elements: list[dict[str, Any]], centre: str | None, name: str = "force") -> list[dict[str, Any]]:
    """Lay ``elements`` out in place by ``name`` (force or rings); returns them.

    The same view (the same nodes with the same sizes, parents, communities and ranks, the same edges and
    weights) gets the same positions, so they are kept for the last ``CACHE_SIZE`` views: going back to a
    slice, reloading a link or a second reader of the same slice does not lay it out again."""
    if name not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}; got {name!r}")
    nodes = [e for e in elements if is_node(e)]
    for e, (x, y) in zip(nodes, _positions(_view_key(elements, centre, name)), strict=True):
        e["position"] = {"x": x, "y": y}
    return elements


# What the layouts read of a node and of an edge: nothing else goes into the key, or the cache would miss.
NODE_KEYS = ("id", "type", "size", "parent_node", "community", "rank")
EDGE_KEYS = ("source", "target", "weight")
CACHE_SIZE = 128        # views; a 300-element view's key and positions take some 50 kB


def _view_key(elements: Sequence[Mapping[str, Any]], centre: str | None, name: str) -> tuple[Any, ...]:
    nodes = tuple(tuple(e["data"].get(k) for k in NODE_KEYS) for e in elements if is_node(e))
    edges = tuple(tuple(e["data"].get(k) for k in EDGE_KEYS) for e in elements if not is_node(e))
    return name, centre, nodes, edges


# A memo of a pure function: every worker process computes the same positions for a key, so nothing a user
# does can make two workers disagree; per-user state stays in the pages' stores.
@functools.lru_cache(maxsize=CACHE_SIZE)
def _positions(key: tuple[Any, ...]) -> tuple[tuple[float, float], ...]:
    name, centre, node_rows, edge_rows = key
    elements: list[dict[str, Any]] = [{"data": {k: v for k, v in zip(NODE_KEYS, row, strict=True) if v is not None}}
                                      for row in node_rows]
    elements += [{"data": dict(zip(EDGE_KEYS, row, strict=True))} for row in edge_rows]
    big = len(node_rows) > FORCE_MAX_NODES
    (force_layout if name == "force" and not big else rings_layout)(elements, centre)
    return tuple((e["position"]["x"], e["position"]["y"]) for e in elements[: len(node_rows)])


def clear_cache() -> None:
    """Forget every view laid out so far (tests that time or compare the layout itself)."""
    _positions.cache_clear()


# -- overlap removal ---------------------------------------------------------------------------------------
def overlaps(xy: np.ndarray, boxes: np.ndarray, gap: float = 0.0) -> np.ndarray:
    """A boolean matrix: the boxes (centred at ``xy``, ``boxes`` = width, height) of i and j overlap,
    with ``gap`` px to spare; the diagonal is False. All pairs: for checks, not for the layout's loops."""
    dx = np.abs(xy[:, None, 0] - xy[None, :, 0])
    dy = np.abs(xy[:, None, 1] - xy[None, :, 1])
    need_x = (boxes[:, None, 0] + boxes[None, :, 0]) / 2 + gap
    need_y = (boxes[:, None, 1] + boxes[None, :, 1]) / 2 + gap
    hit = (dx < need_x) & (dy < need_y)
    np.fill_diagonal(hit, False)
    return np.asarray(hit, dtype=bool)


def close_pairs(xy: np.ndarray, boxes: np.ndarray, gap: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """The pairs ``(i, j)``, ``i < j``, whose boxes overlap with ``gap`` px to spare (as ``overlaps``).

    A sweep along x: sorted by x, a node can only meet the ones that start within its half width plus the
    widest half width plus ``gap`` to its right, so a laid-out view checks a few neighbours per node instead
    of every pair (the all-pairs matrix was most of the layout's time at 300 elements)."""
    n = len(xy)
    if n < 2:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty
    order = np.argsort(xy[:, 0], kind="stable")
    xs = xy[order, 0]
    reach = xs + boxes[order, 0] / 2 + float(boxes[:, 0].max()) / 2 + gap
    first = np.arange(1, n + 1)
    last = np.maximum(np.searchsorted(xs, reach, side="left"), first)   # candidates: first <= k < last
    counts = last - first
    a = np.repeat(np.arange(n), counts)
    b = np.repeat(first - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))
    i, j = order[a], order[b]
    hit = ((np.abs(xy[i, 0] - xy[j, 0]) < (boxes[i, 0] + boxes[j, 0]) / 2 + gap)
           & (np.abs(xy[i, 1] - xy[j, 1]) < (boxes[i, 1] + boxes[j, 1]) / 2 + gap))
    i, j = i[hit], j[hit]
    swap = i > j
    return np.where(swap, j, i), np.where(swap, i, j)


def _strongest(node: np.ndarray, push: np.ndarray, n: int) -> np.ndarray:
    """Per node, the push of largest size among its pairs (0 for a node without one)."""
    out = np.zeros(n)
    if len(node):
        order = np.lexsort((-np.abs(push), node))   # by node, the strongest first; stable, so deterministic
        nodes, first = np.unique(node[order], return_index=True)
        out[nodes] = push[order][first]
    return out


def separate(xy: np.ndarray, boxes: np.ndarray, movable: np.ndarray, gap: float = GAP) -> np.ndarray:
    """Positions moved apart until no two boxes come closer than ``gap``; only ``movable`` nodes move.

    Each round pushes every overlapping pair apart along the axis where they overlap least (half each,
    or all of it onto the movable one); what is left after the rounds is placed by a spiral search."""
    xy = xy.astype(float).copy()
    n = len(xy)
    if n < 2:
        return xy
    movable = movable.astype(bool)
    # A fixed, tiny jitter breaks exact ties (two nodes on one point) the same way every time.
    rng = np.random.default_rng(SEED)
    tie = rng.uniform(-0.5, 0.5, size=(n, 2))
    for _ in range(SEPARATION_ROUNDS):
        i, j = close_pairs(xy, boxes, gap)
        keep = movable[i] | movable[j]
        i, j = i[keep], j[keep]
        if not len(i):
            break
        dx = xy[i, 0] - xy[j, 0]
        dy = xy[i, 1] - xy[j, 1]
        dx = np.where(np.abs(dx) < 1e-6, tie[i, 0] - tie[j, 0], dx)
        dy = np.where(np.abs(dy) < 1e-6, tie[i, 1] - tie[j, 1], dy)
        over_x = (boxes[i, 0] + boxes[j, 0]) / 2 + gap - np.abs(dx)
        over_y = (boxes[i, 1] + boxes[j, 1]) / 2 + gap - np.abs(dy)
        along_x = over_x <= over_y
        step_x = np.where(along_x, np.sign(dx) * (over_x + 0.5), 0.0)
        step_y = np.where(~along_x, np.sign(dy) * (over_y + 0.5), 0.0)
        # Each pair moves both ends (i by +step, j by -step): half the push each, all of it when the other
        # one cannot move; a node that cannot move gets none.
        node = np.concatenate([i, j])
        other = np.concatenate([j, i])
        share = np.where(movable[other], 0.5, 1.0) * movable[node]
        sign = np.concatenate([np.ones(len(i)), -np.ones(len(j))])
        # Many neighbours pushing one node at once would overshoot: the strongest push per axis, not their sum.
        xy[:, 0] += _strongest(node, np.concatenate([step_x, step_x]) * sign * share, n)
        xy[:, 1] += _strongest(node, np.concatenate([step_y, step_y]) * sign * share, n)
    i, j = close_pairs(xy, boxes, gap)
    for k in np.unique(np.concatenate([i, j])):
        if not movable[k]:
            continue
        dx = np.abs(xy[:, 0] - xy[k, 0])
        dy = np.abs(xy[:, 1] - xy[k, 1])
        near = (dx < (boxes[:, 0] + boxes[k, 0]) / 2 + gap) & (dy < (boxes[:, 1] + boxes[k, 1]) / 2 + gap)
        near[k] = False
        if near.any():
            xy[k] = free_spot(xy, boxes, int(k), xy[k], gap)
    return xy


def free_spot(xy: np.ndarray, boxes: np.ndarray, i: int, origin: Sequence[float], gap: float = GAP,
              away: float = -math.pi / 2, spread: float = 2 * math.pi) -> np.ndarray:
    """The first point on a spiral around ``origin`` (within ``spread`` radians centred on ``away``, nearest
    to that direction first) where node ``i``'s box keeps ``gap`` px from every other box. The spiral grows
    without end into space nothing occupies, so a spot is always found."""
    others = np.ones(len(xy), dtype=bool)
    others[i] = False
    step = float(boxes[i].max()) + gap
    ring = 0
    while True:
        radius = step * ring
        count = 1 if ring == 0 else max(6, int(2 * math.pi * radius / step))
        for k in range(count):
            # Alternate sides of the preferred direction, so the nearest free spot towards it comes first.
            offset = (k + 1) // 2 * (1 if k % 2 else -1) * 2 * math.pi / count
            if abs(offset) > spread / 2 + 1e-9:
                continue
            point = np.array([origin[0] + radius * math.cos(away + offset),
                              origin[1] + radius * math.sin(away + offset)])
            dx = np.abs(xy[others, 0] - point[0])
            dy = np.abs(xy[others, 1] - point[1])
            if not ((dx < (boxes[others, 0] + boxes[i, 0]) / 2 + gap)
                    & (dy < (boxes[others, 1] + boxes[i, 1]) / 2 + gap)).any():
                return point
        ring += 1


def place_newcomers(elements: list[dict[str, Any]], newcomers: Iterable[dict[str, Any]],
                    origin: tuple[float, float]) -> None:
    """Positions in place for ``newcomers`` around ``origin``, away from the middle of the view, each clear
    of every node already placed (those do not move)."""
    placed = [e for e in elements if is_node(e) and "position" in e]
    fresh = list(newcomers)
    if not fresh:
        return
    xy = np.array([[e["position"]["x"], e["position"]["y"]] for e in placed] + [[0.0, 0.0]] * len(fresh),
                  dtype=float).reshape(-1, 2)
    boxes = np.array([box(e) for e in placed] + [box(e) for e in fresh], dtype=float).reshape(-1, 2)
    middle = xy[: len(placed)].mean(axis=0) if placed else np.zeros(2)
    away = math.atan2(origin[1] - middle[1], origin[0] - middle[0]) if placed else -math.pi / 2
    for j, e in enumerate(fresh):
        i = len(placed) + j   # only the nodes placed so far count, hence the slices up to i
        xy[i] = free_spot(xy[: i + 1], boxes[: i + 1], i, origin, GAP, away, NEWCOMER_SPREAD)
        e["position"] = {"x": round(float(xy[i, 0]), 1), "y": round(float(xy[i, 1]), 1)}


def settle(elements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Move nodes apart where they overlap (after a resize, or on positions made by hand); returns them."""
    nodes = [e for e in elements if is_node(e) and "position" in e]
    if nodes:
        xy = np.array([[e["position"]["x"], e["position"]["y"]] for e in nodes], dtype=float)
        boxes = np.array([box(e) for e in nodes], dtype=float)
        if len(close_pairs(xy, boxes, GAP)[0]):
            _write(nodes, separate(xy, boxes, np.ones(len(nodes), dtype=bool)))
    return elements


def _write(nodes: list[dict[str, Any]], xy: np.ndarray) -> None:
    for e, (x, y) in zip(nodes, xy, strict=True):
        e["position"] = {"x": round(float(x), 1), "y": round(float(y), 1)}


# -- communities -----------------------------------------------------------------------------------------
def communities(elements: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    """Groups of researchers in the view (Louvain over the co-author edges among them, weighted by joint
    works, fixed seed), largest first; researchers with no co-author in view are left out."""
    g = nx.Graph()
    authors = {e["data"]["id"] for e in elements if is_node(e) and e["data"].get("type") == "author"}
    for e in elements:
        d = e["data"]
        if d.get("type") == "COAUTHOR" and d["source"] in authors and d["target"] in authors:
            g.add_edge(d["source"], d["target"], weight=float(d.get("weight") or 1))
    if g.number_of_edges() == 0:
        return []
    groups = nx.community.louvain_communities(g, weight="weight", seed=SEED)
    return sorted((sorted(c) for c in groups), key=lambda c: (-len(c), c[0]))


def legend(elements: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The communities of a view as ``{community, colour, size, label}`` (label: the member with most works),
    read back from the elements' ``data.community``."""
    groups: dict[int, list[Mapping[str, Any]]] = {}
    for e in elements:
        if is_node(e) and e["data"].get("community"):
            groups.setdefault(int(e["data"]["community"]), []).append(e["data"])
    out = []
    for n, members in sorted(groups.items()):
        lead = max(members, key=lambda d: (d.get("works_count") or 0, d.get("cited_by_count") or 0, d["id"]))
        out.append({"community": n, "colour": members[0]["colour"], "size": len(members),
                    "label": str(lead.get("label") or lead["id"])})
    return out


def colour_communities(elements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Set ``data.community`` (1 = largest) and ``data.colour`` on each researcher in a group of two or more;
    returns the legend: ``{community, colour, size, label}`` per group (label: its best-known member)."""
    by_id = {e["data"]["id"]: e for e in elements if is_node(e)}
    for e in by_id.values():
        e["data"].pop("community", None)
        e["data"].pop("colour", None)
    for n, group in enumerate(communities(elements), 1):
        if len(group) < 2:
            continue
        colour = PALETTE[n - 1] if n <= len(PALETTE) else SMALL_GROUP
        for node_id in group:
            by_id[node_id]["data"]["community"] = n
            by_id[node_id]["data"]["colour"] = colour
    return legend(elements)
