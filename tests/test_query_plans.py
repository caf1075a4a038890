"""The loader's per-batch queries are planned on an empty graph without a scan per id.

Neo4j caches a query's plan and remakes it only once the counts have diverged and the plan is old
enough, so a plan made while a label was empty serves the next batches too. Planned then, clearing the
``:Stale`` marks scanned every Author (by its id index) for each id, and the affiliations' clean-up
every Institution: 12 s and 3 s per 2,000 authors in the suite, the sample's load 24 s instead of 13
(docs/testing.md, stop 14). Each query here is EXPLAINed in that state, the planner's worst case
(authors and papers, but no institution and no mark yet), and its plan may start only from what the
query is about: an id seek, or a scan of the mark label whose nodes it lists.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from graph.console import plan_tree
from graph.db import Graph
from graph.queries import query

# Query -> (its parameters, the labels it may scan: a list of marked nodes reads them all by design).
PLANNED: dict[str, tuple[dict[str, Any], set[str]]] = {
    "load/clear_stale_authors": ({"ids": ["name:a_b"]}, set()),
    "load/clear_stale_coauthors": ({"ids": ["name:a_b"]}, set()),
    "load/derive_affiliations": ({"ids": ["name:a_b"]}, set()),
    "load/derive_coauthors": ({"ids": ["name:a_b"], "max_authors": 100}, set()),
    "metrics/clear_marks": ({"eids": ["4:00000000-0000-0000-0000-000000000000:0"]}, set()),
    "load/stale_authors": ({"limit": 2000}, {"Stale"}),
    "load/stale_coauthors": ({"limit": 2000}, {"StaleCoauthors"}),
    "load/derive_papers": ({"limit": 2000}, {"Stale"}),
    "load/surname_blocks": ({"surnames": ["name:a"]}, set()),
}

# Operators that read a whole label, index or store.
SCANS = ("AllNodesScan", "NodeByLabelScan", "NodeIndexScan", "UndirectedAllRelationshipsScan",
         "DirectedAllRelationshipsScan", "UnionNodeByLabelsScan", "IntersectionNodeByLabelsScan")


def operators(tree: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(operator, details) of every operator of a plan as ``graph.console.plan_tree`` gives it."""
    if tree is None:
        return []
    return [(tree["operator"], str(tree["details"])), *(op for child in tree["children"] for op in operators(child))]


@pytest.mark.parametrize("name", sorted(PLANNED))
def test_planned_on_a_young_graph_without_a_scan_per_id(young: Graph, name: str) -> None:
    params, may_scan = PLANNED[name]
    summary = young.driver.execute_query("EXPLAIN " + query(name), params).summary
    assert summary.plan, name
    plan = operators(plan_tree(summary.plan))
    scans = [(op, details) for op, details in plan if op in SCANS]
    wrong = [(op, details) for op, details in scans if not (op in ("NodeByLabelScan", "IntersectionNodeByLabelsScan")
                                                             and any(marks(details, label) for label in may_scan))]
    assert not wrong, f"{name} is planned with {wrong} (plan: {plan})"
    if may_scan:
        # A list of marked nodes starts from the mark's own label, never from all Authors or Papers.
        assert scans, f"{name} reads no mark label: {plan}"


def marks(details: str, label: str) -> bool:
    """Whether a label scan's details (``a:Stale``, ``p:Paper&Stale``) name ``label`` itself."""
    return re.search(rf"[:&]{label}(?![A-Za-z0-9_])", details) is not None


@pytest.fixture(scope="module")
def young(module_db: Graph) -> Graph:
    """A graph as after a first file without institutions: 300 authors on 300 papers, nothing marked."""
    module_db.driver.execute_query(
        "UNWIND range(1, 300) AS i "
        "CREATE (:Author {id: 'name:a_' + i, block: 'name:a_' + i})-[:AUTHORED {position: 0}]->"
        "(:Paper {id: 'p' + i, year: 2000, author_count: 1})")
    counts = module_db.driver.execute_query(
        "RETURN COUNT { (:Author) } AS authors, COUNT { (:Institution) } AS institutions, "
        "COUNT { (:Stale) } + COUNT { (:StaleCoauthors) } + COUNT { (:StaleMetrics) } AS marked").records[0]
    assert (counts["authors"], counts["institutions"], counts["marked"]) == (300, 0, 0)
    # Planned in this state, not taken from the cache: the test servers keep their plans for an hour
    # (PEERGRAPH_NEO4J_REPLAN_INTERVAL), and an earlier test may have planned these queries on another graph.
    module_db.driver.execute_query("CALL db.clearQueryCaches()")
    return module_db

