"""Helpers for the loader tests: whole-graph fingerprints and plain-Python readers of the real files."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

from graph.db import Graph


def graph_state(db: Graph) -> tuple[list[str], list[str]]:
    """Every node (labels + properties) and every relationship (ends + type + properties), as sorted JSON."""
    nodes = db.read_tx(lambda tx: [json.dumps([sorted(r["labels"]), r["props"]], sort_keys=True, default=str)
                                   for r in tx.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")])
    rels = db.read_tx(lambda tx: [json.dumps([r["a"], r["t"], r["b"], r["props"]], sort_keys=True, default=str)
                                  for r in tx.run("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, "
                                                  "properties(r) AS props")])
    return sorted(nodes), sorted(rels)


def checksum(db: Graph) -> str:
    nodes, rels = graph_state(db)
    digest = hashlib.sha256()
    for line in nodes + ["--"] + rels:
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def count(db: Graph, cypher: str, **params: Any) -> int:
    return db.read_tx(lambda tx: tx.run(cypher, params).single()[0])


def rows(db: Graph, cypher: str, **params: Any) -> list[dict[str, Any]]:
    return db.read_tx(lambda tx: [r.data() for r in tx.run(cypher, params)])


def lines(path: Path) -> Iterator[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        yield from fh


def h_index(counts: list[int]) -> int:
    ranked = sorted(counts, reverse=True)
    return sum(1 for i, c in enumerate(ranked, start=1) if c >= i)


def pair_stats(papers: list[tuple[list[str], int | None, int]],
               max_authors: int = 100) -> dict[tuple[str, str], list]:
    """(a, b) with a < b -> [joint works, first year, last year] over (keys, year, author count) papers
    with at most ``max_authors`` authors."""
    pairs: dict[tuple[str, str], list] = {}
    for keys, year, author_count in papers:
        if author_count > max_authors:
            continue
        for a, b in combinations(sorted(set(keys)), 2):
            entry = pairs.setdefault((a, b), [0, year, year])
            entry[0] += 1
            if year is not None:
                entry[1] = year if entry[1] is None else min(entry[1], year)
                entry[2] = year if entry[2] is None else max(entry[2], year)
    return pairs


def top_coauthors(pairs: dict[tuple[str, str], list], min_degree: int,
                  size: int) -> dict[str, tuple[list[str], list[int]]]:
    """Author id -> (top_coauthors, top_coauthor_stats) as the loaders should keep them, from ``pair_stats``:
    for authors with more than ``min_degree`` co-authors, the ``size`` strongest (joint works, then last
    year, a missing one lowest, then id), with [works, first year, last year] each, 0 for a missing year."""
    by_author: dict[str, list[tuple[str, list]]] = {}
    for (a, b), stats in pairs.items():
        by_author.setdefault(a, []).append((b, stats))
        by_author.setdefault(b, []).append((a, stats))
    out = {}
    for author, found in by_author.items():
        if len(found) <= min_degree:
            continue
        best = sorted(found, key=lambda x: (-x[1][0], -(x[1][2] or 0), x[0].encode("utf-16-be")))[:size]
        out[author] = ([b for b, _ in best], [v for _, (w, f, la) in best for v in (w, f or 0, la or 0)])
    return out
