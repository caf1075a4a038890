"""Whole-graph figures: how many nodes and relationships of each kind."""

from __future__ import annotations

from dataclasses import dataclass

from graph.db import Graph


@dataclass(frozen=True)
class GraphCounts:
    authors: int
    papers: int
    topics: int
    institutions: int
    authored: int
    about: int
    affiliated_with: int
    cites: int
    part_of: int
    coauthor: int

    @property
    def empty(self) -> bool:
        return self.papers == 0 and self.authors == 0


def counts(db: Graph) -> GraphCounts:
    """Node counts per label and relationship counts per type."""
    row = db.read_one("stats_counts")
    assert row is not None
    return GraphCounts(**row)
