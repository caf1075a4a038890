"""Bounded slices of the graph around one node, for the explorer and ``/api/.../neighbourhood``.

A slice is ranked and capped everywhere (per node and type, and in total) and
never silently truncated: every node that had more neighbours of a kind than
are shown gets a ``More`` entry saying how many were left out.

Expansions are fixed, per node type (``EXPANSIONS``): a key names the
relationship type and direction (``AUTHORED:out``, ``COAUTHOR:both``, ...) and
maps to one query file. ``WORKS_ON`` is derived, not stored: an author and the
topics of their papers.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from neo4j import ManagedTransaction

from graph.db import Graph
from graph.errors import NotFound
from graph.queries import query

NODE_TYPES: tuple[str, ...] = ("author", "paper", "topic", "institution")
DEFAULT_CAPS: dict[str, int] = {"paper": 25, "author": 25, "topic": 15, "institution": 10}
# Per first-ring researcher at depth 2: their own neighbourhood, smaller. No topics: a prolific
# co-author's topics mean reading every one of their papers, and the centre's topics are drawn already.
DEPTH2_CAPS: dict[str, int] = {"paper": 4, "author": 6, "topic": 0, "institution": 2}
MAX_CAP = 100
DEFAULT_LIMIT = 300   # elements (nodes + edges) in one slice
MAX_LIMIT = 1000
NODE_SHARE = 0.4      # of the element budget, for nodes (each brings at least its edge); edges fill the rest
MAX_EXPAND = 300      # neighbours in one expansion
EDGES_PER_NEW_NODE = 4
MIN_YEAR, MAX_YEAR = 1600, 2100   # a year range's bounds


@dataclass(frozen=True)
class Expansion:
    """One way to grow from a node: a relationship type and direction, and the query that follows it."""

    key: str              # 'COAUTHOR:both'
    node_type: str        # the type it starts from
    neighbour_type: str   # the type it reaches
    query: str            # the query file (``from``, ``total``, ``items`` for ``$ids``, ``$limit``)
    label: str            # for buttons: 'Co-authors'
    edge_type: str        # the edge drawn: 'COAUTHOR', 'WORKS_ON', ...
    outward: bool         # edge goes node -> neighbour (else neighbour -> node)


def _x(key: str, node: str, other: str, name: str, label: str, outward: bool) -> Expansion:
    return Expansion(key, node, other, f"neighbourhood_{node}_{name}", label, key.split(":")[0], outward)


EXPANSIONS: dict[str, list[Expansion]] = {
    "author": [
        _x("AUTHORED:out", "author", "paper", "papers", "Papers", True),
        _x("COAUTHOR:both", "author", "author", "coauthors", "Co-authors", True),
        _x("WORKS_ON:out", "author", "topic", "topics", "Topics", True),
        _x("AFFILIATED_WITH:out", "author", "institution", "institutions", "Institutions", True),
    ],
    "paper": [
        _x("AUTHORED:in", "paper", "author", "authors", "Authors", False),
        _x("ABOUT:out", "paper", "topic", "topics", "Topics", True),
        _x("CITES:out", "paper", "paper", "references", "References", True),
        _x("CITES:in", "paper", "paper", "citations", "Cited by", False),
    ],
    "topic": [
        _x("ABOUT:in", "topic", "paper", "papers", "Papers", False),
        _x("WORKS_ON:in", "topic", "author", "authors", "Researchers", False),
        _x("PART_OF:out", "topic", "topic", "broader", "Broader topics", True),
        _x("PART_OF:in", "topic", "topic", "narrower", "Narrower topics", False),
    ],
    "institution": [
        _x("AFFILIATED_WITH:in", "institution", "author", "authors", "Researchers", False),
    ],
}
EXPANSION_KEYS: frozenset[str] = frozenset(x.key for xs in EXPANSIONS.values() for x in xs)
TYPE_WORDS = {"paper": ("paper", "papers"), "author": ("person", "people"),
              "topic": ("topic", "topics"), "institution": ("institution", "institutions")}


@dataclass(frozen=True)
class Node:
    """A node of a slice: its id, type and display properties; ``ring`` is its distance from the centre."""

    id: str
    type: str
    props: Mapping[str, Any]
    ring: int = 0
    parent: str | None = None   # the node it was reached from

    @property
    def label(self) -> str:
        text = self.props.get("name") or self.props.get("title") or self.id
        return str(text)


@dataclass(frozen=True)
class Edge:
    """An edge between two nodes of a slice; COAUTHOR edges always run from the smaller id."""

    source: str
    target: str
    type: str
    weight: float = 1

    @property
    def id(self) -> str:
        return f"{self.source}|{self.type}|{self.target}"


@dataclass(frozen=True)
class More:
    """Neighbours of ``node_id`` by expansion ``key`` left out of the slice: ``total - shown`` of them."""

    node_id: str
    key: str
    neighbour_type: str
    shown: int
    total: int

    @property
    def omitted(self) -> int:
        return max(self.total - self.shown, 0)


@dataclass
class Slice:
    """Nodes, edges, and what was left out (``more``: per node and expansion; ``edges_omitted``)."""

    centre: str | None
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    more: list[More] = field(default_factory=list)
    edges_omitted: int = 0
    unexpanded: list[str] = field(default_factory=list)   # depth 2: researchers whose neighbourhoods did not fit

    @property
    def omitted(self) -> dict[str, int]:
        """Neighbours of the centre left out, per neighbour type."""
        out: dict[str, int] = {}
        for m in self.more:
            if m.node_id == self.centre and m.omitted:
                out[m.neighbour_type] = out.get(m.neighbour_type, 0) + m.omitted
        return out

    @property
    def totals(self) -> dict[str, int]:
        """The centre's neighbours per type (shown or not), as the expansions count them."""
        out: dict[str, int] = {}
        for m in self.more:
            if m.node_id == self.centre:
                out[m.neighbour_type] = out.get(m.neighbour_type, 0) + m.total
        return out

    @property
    def shown(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for m in self.more:
            if m.node_id == self.centre:
                out[m.neighbour_type] = out.get(m.neighbour_type, 0) + m.shown
        return out


# Expansion key -> (column of neighbourhood_author_all, neighbour type).
_AUTHOR_COLUMNS = {"AUTHORED:out": ("papers", "paper"), "COAUTHOR:both": ("people", "author"),
                   "WORKS_ON:out": ("topics", "topic"), "AFFILIATED_WITH:out": ("institutions", "institution")}


def expansions_for(node_type: str) -> list[Expansion]:
    return EXPANSIONS.get(node_type, [])


def expansion(key: str, node_type: str) -> Expansion:
    """The expansion ``key`` for a node of ``node_type``; ValueError when it does not apply."""
    for x in expansions_for(node_type):
        if x.key == key:
            return x
    allowed = ", ".join(x.key for x in expansions_for(node_type))
    raise ValueError(f"expansion {key!r} does not apply to a {node_type}; use one of {allowed}")


def _rows(tx: ManagedTransaction, name: str, **params: Any) -> list[dict[str, Any]]:
    return [record.data() for record in tx.run(query(name), params)]


def _edge(x: Expansion, node_id: str, other_id: str, weight: float) -> Edge:
    source, target = (node_id, other_id) if x.outward else (other_id, node_id)
    if x.edge_type == "COAUTHOR" and source > target:
        source, target = target, source
    return Edge(source, target, x.edge_type, weight)


class _Builder:
    """Collects a slice inside one read transaction; keeps the node budget and the left-out counts."""

    def __init__(self, tx: ManagedTransaction, limit: int, elements: int | None = None,
                 years: tuple[int, int] | None = None) -> None:
        self.tx = tx
        self.years = years                  # researchers' works and co-authorships from..to, when given
        self.limit = limit                  # nodes
        self.elements = elements            # nodes + edges, when bounded
        self.nodes: dict[str, Node] = {}
        self.edges: dict[str, Edge] = {}
        self.more: list[More] = []
        self.edges_left_out = 0

    def add_node(self, node: Node) -> bool:
        if node.id in self.nodes:
            return True
        if len(self.nodes) >= self.limit:
            return False
        self.nodes[node.id] = node
        return True

    def add_edge(self, edge: Edge, *, required: bool = False) -> None:
        """Add an edge; beyond the element budget only ``required`` ones (those that attach a new node)."""
        if edge.id in self.edges:
            return
        if not required and self.elements is not None and len(self.nodes) + len(self.edges) >= self.elements:
            self.edges_left_out += 1
            return
        self.edges[edge.id] = edge

    def grow(self, parents: list[Node], types: Collection[str], caps: Mapping[str, int], ring: int) -> None:
        """Add each parent's top neighbours of each wanted type (one query per expansion for all parents)."""
        by_type: dict[str, list[Node]] = {}
        for p in parents:
            by_type.setdefault(p.type, []).append(p)
        # Ranked results per parent, gathered first so the budget goes to parents in order.
        found: dict[tuple[str, str], dict[str, Any]] = {}
        for node_type, group in by_type.items():
            if node_type == "author":   # the hot path: one query for the four kinds
                found.update(self._authors(group, types, caps))
                continue
            for x in expansions_for(node_type):
                cap = caps.get(x.neighbour_type, 0)
                if x.neighbour_type not in types or cap <= 0:
                    continue
                for row in _rows(self.tx, x.query, ids=[p.id for p in group], limit=cap):
                    found[(row["from"], x.key)] = row
        # Round-robin by rank over parents and expansions, so a tight budget is shared out
        # (each type and each parent gets its best first) instead of going to the first list.
        lists = [(p, x, found[(p.id, x.key)]) for p in parents for x in expansions_for(p.type)
                 if (p.id, x.key) in found]
        shown = [0] * len(lists)
        for rank in range(max((len(row["items"]) for _, _, row in lists), default=0)):
            for i, (p, x, row) in enumerate(lists):
                if rank >= len(row["items"]):
                    continue
                item = row["items"][rank]
                props = item["node"]
                if props["id"] == p.id:
                    continue
                is_new = props["id"] not in self.nodes
                if self.add_node(Node(props["id"], x.neighbour_type, props, ring, p.id)):
                    shown[i] += 1
                    self.add_edge(_edge(x, p.id, props["id"], item.get("weight") or 1), required=is_new)
        for (p, x, row), n in zip(lists, shown, strict=True):
            self.more.append(More(p.id, x.key, x.neighbour_type, n, row["total"]))

    def _authors(self, group: list[Node], types: Collection[str],
                 caps: Mapping[str, int]) -> dict[tuple[str, str], dict[str, Any]]:
        limits = {column: caps.get(kind, 0) if kind in types else 0 for column, kind in _AUTHOR_COLUMNS.values()}
        out: dict[tuple[str, str], dict[str, Any]] = {}
        if not any(limits.values()):
            return out
        if self.years:
            rows = _rows(self.tx, "neighbourhood_author_years", ids=[p.id for p in group],
                         year_from=self.years[0], year_to=self.years[1], **limits)
        else:
            rows = _rows(self.tx, "neighbourhood_author_all", ids=[p.id for p in group], **limits)
        for row in rows:
            for key, (column, _) in _AUTHOR_COLUMNS.items():
                if limits[column] > 0:
                    out[(row["from"], key)] = {"from": row["from"], "total": row[f"{column}_total"],
                                               "items": row[column]}
        return out

    def induced_edges(self, max_edges: int, new: Collection[str] | None = None) -> int:
        """Add the stored relationships among the nodes (touching ``new`` when given); how many were left out."""
        ids: dict[str, list[str]] = {t: [] for t in NODE_TYPES}
        missing: dict[str, list[str]] = {t: [] for t in NODE_TYPES}
        for n in self.nodes.values():
            if n.props.get("eid"):
                ids[n.type].append(n.props["eid"])
            else:
                missing[n.type].append(n.id)
        if any(missing.values()):   # nodes already in a view, known by id only
            for row in _rows(self.tx, "neighbourhood_eids", authors=missing["author"], papers=missing["paper"],
                             topics=missing["topic"], institutions=missing["institution"]):
                ids[self.nodes[row["id"]].type].append(row["eid"])
        rows = _rows(self.tx, "neighbourhood_edges", authors=ids["author"], papers=ids["paper"],
                     topics=ids["topic"], institutions=ids["institution"])
        found = rows[0]["edges"] if rows else []
        if self.years:   # co-authorships counted over the range only (and first, as the edges query orders them)
            joint = _rows(self.tx, "neighbourhood_coauthor_years", authors=ids["author"], year_from=self.years[0],
                          year_to=self.years[1])
            found = (joint[0]["edges"] if joint else []) + [e for e in found if e[1] != "COAUTHOR"]
        left_out = 0
        for source, rel_type, target, weight in found:
            if new is not None and source not in new and target not in new:
                continue
            edge = Edge(source, target, rel_type, weight)
            if edge.id in self.edges:
                continue
            if len(self.edges) >= max_edges:
                left_out += 1
                continue
            self.edges[edge.id] = edge
        return left_out


def node_info(db: Graph, node_id: str) -> Node:
    """The node with this id (any label); NotFound when there is none."""
    row = db.read_one("neighbourhood_node", id=node_id)
    if not row or row["type"] is None:
        raise NotFound(f"no author, paper, topic or institution has the id {node_id!r}")
    return Node(node_id, row["type"], row["node"])


def clean_caps(caps: Mapping[str, int] | None) -> dict[str, int]:
    """Per-type caps with defaults filled in, each within 0..MAX_CAP."""
    out = dict(DEFAULT_CAPS)
    for key, value in (caps or {}).items():
        if key not in DEFAULT_CAPS:
            raise ValueError(f"unknown type {key!r} in caps; use {', '.join(DEFAULT_CAPS)}")
        if not 0 <= int(value) <= MAX_CAP:
            raise ValueError(f"cap for {key} must be between 0 and {MAX_CAP}, got {value}")
        out[key] = int(value)
    return out


def clean_years(years: tuple[int | None, int | None] | None) -> tuple[int, int] | None:
    """A year range as ``(from, to)``, an open end filled with the widest year; None for no range.
    ValueError when a year is outside MIN_YEAR..MAX_YEAR or the range runs backwards."""
    if years is None or (years[0] is None and years[1] is None):
        return None
    lo = MIN_YEAR if years[0] is None else int(years[0])
    hi = MAX_YEAR if years[1] is None else int(years[1])
    for name, value in (("year_from", lo), ("year_to", hi)):
        if not MIN_YEAR <= value <= MAX_YEAR:
            raise ValueError(f"{name} must be a year between {MIN_YEAR} and {MAX_YEAR}, got {value}")
    if lo > hi:
        raise ValueError(f"year_from ({lo}) must not be after year_to ({hi})")
    return lo, hi


def neighbourhood(db: Graph, node_id: str, *, depth: int = 1, types: Iterable[str] = NODE_TYPES,
                  caps: Mapping[str, int] | None = None, limit: int = DEFAULT_LIMIT,
                  years: tuple[int | None, int | None] | None = None) -> Slice:
    """The slice around ``node_id``: its top neighbours per type (depth 1), and at depth 2 the
    neighbourhoods of the researchers among them (smaller caps), at most ``limit`` elements in all
    (nodes take up to 40 % of the budget; the edges among them fill the rest).

    ``years`` (from, to; inclusive, either end open) builds researchers' neighbourhoods from their works in
    that range only (papers, co-authors and joint works, topics, affiliations that meet it), and counts
    co-authorships in the view over the range.

    Raises NotFound for an unknown id and ValueError for a bad depth, type, cap, limit or year range.
    """
    span = clean_years(years)
    if depth not in (1, 2):
        raise ValueError(f"depth must be 1 or 2, got {depth}")
    wanted = set(types)
    if unknown := wanted - set(NODE_TYPES):
        raise ValueError(f"unknown type(s) {', '.join(sorted(unknown))}; use {', '.join(NODE_TYPES)}")
    if not 10 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 10 and {MAX_LIMIT}, got {limit}")
    caps1 = clean_caps(caps)
    caps2 = {t: min(caps1[t], DEPTH2_CAPS[t]) for t in caps1}

    def work(tx: ManagedTransaction) -> Slice:
        row = tx.run(query("neighbourhood_node"), id=node_id).single()
        if row is None or row["type"] is None:
            raise NotFound(f"no author, paper, topic or institution has the id {node_id!r}")
        centre = Node(node_id, row["type"], row["node"])
        b = _Builder(tx, max(1, int(limit * NODE_SHARE)), limit, span)
        b.add_node(centre)
        b.grow([centre], wanted, caps1, ring=1)
        skipped: list[str] = []
        if depth == 2:
            ring1 = [n for n in b.nodes.values() if n.ring == 1 and n.type == "author"]
            # The budget is shared round-robin, so only so many researchers can get anything: asking for
            # the others' neighbourhoods would cost queries (hubs have thousands of neighbours) for nothing.
            per_person = sum(caps2.get(t, 0) for t in wanted)
            room = b.limit - len(b.nodes)
            fit = math.ceil(2 * room / per_person) if room > 0 and per_person else 0
            ring1, skipped = ring1[:fit], [n.id for n in ring1[fit:]]
            b.grow(ring1, wanted, caps2, ring=2)
        left_out = b.induced_edges(limit - len(b.nodes))
        return Slice(node_id, list(b.nodes.values()), list(b.edges.values()), b.more, left_out + b.edges_left_out,
                     skipped)

    return db.read_tx(work)


def expand(db: Graph, node_id: str, key: str, *, limit: int = DEFAULT_CAPS["paper"],
           among: Mapping[str, str] | None = None, years: tuple[int | None, int | None] | None = None) -> Slice:
    """One node's neighbours by expansion ``key`` (top ``limit``), with the edges that join them to
    each other, to the node, and to the nodes ``among`` (the nodes already in view: id -> type).

    The slice's ``more`` says how many of that kind remain beyond ``limit``.
    """
    if not 1 <= limit <= MAX_EXPAND:
        raise ValueError(f"limit must be between 1 and {MAX_EXPAND}, got {limit}")
    span = clean_years(years)

    def work(tx: ManagedTransaction) -> Slice:
        row = tx.run(query("neighbourhood_node"), id=node_id).single()
        if row is None or row["type"] is None:
            raise NotFound(f"no author, paper, topic or institution has the id {node_id!r}")
        node = Node(node_id, row["type"], row["node"])
        x = expansion(key, node.type)
        b = _Builder(tx, limit + 1, years=span)
        b.add_node(node)
        b.grow([node], {x.neighbour_type}, {x.neighbour_type: limit}, ring=1)
        b.more = [m for m in b.more if m.key == key]
        new = set(b.nodes) - {node_id}
        for other_id, other_type in (among or {}).items():
            if other_type in NODE_TYPES:
                b.nodes.setdefault(other_id, Node(other_id, other_type, {"id": other_id}))
        left_out = b.induced_edges(len(b.edges) + EDGES_PER_NEW_NODE * max(len(new), 1), new=new)
        nodes = [n for n in b.nodes.values() if n.id == node_id or n.id in new]
        return Slice(node_id, nodes, list(b.edges.values()), b.more, left_out)

    return db.read_tx(work)


def year_span(db: Graph, node_id: str, *, today: int | None = None) -> tuple[int, int]:
    """The ends of a year range over the works around a node: a researcher's first and last year of work;
    for anything else (or a researcher without dated works) the last 30 years up to ``today``."""
    this_year = today or datetime.date.today().year
    row = db.read_one("neighbourhood_year_span", id=node_id)
    first, last = (row["first"], row["last"]) if row else (None, None)
    if first is None or last is None:
        return this_year - 30, this_year
    return int(first), max(int(last), int(first) + 1)   # a slider needs two distinct ends


def expansion_counts(db: Graph, node_id: str) -> dict[str, int]:
    """How many neighbours ``node_id`` has per expansion that applies to its type; NotFound when unknown."""
    node = node_info(db, node_id)
    row = db.read_one("neighbourhood_counts", id=node_id)
    counts = row["counts"] if row else {}
    return {x.key: int(counts.get(x.key) or 0) for x in expansions_for(node.type)}
