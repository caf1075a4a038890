"""``/api/health`` and ``/api/stats``: is the graph there, and how big is it."""

from __future__ import annotations

from api.models import Health
from api.spec import operation
from graph import stats
from graph.ext import get_db


@operation("GET", "/health", summary="Is Neo4j reachable", operation_id="health", answer=Health,
           answer_text="Neo4j answers", errors=(503,))
def health() -> Health:
    get_db().ping()
    return Health("ok")


@operation("GET", "/stats", summary="Counts of nodes per label and relationships per type", operation_id="stats",
           answer=stats.GraphCounts, answer_text="Counts", errors=(503,))
def graph_stats() -> stats.GraphCounts:
    return stats.counts(get_db())
