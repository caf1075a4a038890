"""Issue 11 on the bundled sample: the "may hold several people" banner where it belongs and nowhere else.

Mario Geiger's own list cuts the author list of 20 of his 29 works ("et al."), so those share fewer co-authors with
the rest: they must not make his profile look like several people. Xiang Liu of the arXiv records is two people
(VLBI radio astronomy; charmed-baryon decays) under one name key: his profile keeps the banner.
"""

from __future__ import annotations

from graph.clusters import clusters
from graph.db import Graph
from loaders.names import fold


def _titles(db: Graph, author: str) -> set[str]:
    return {r["t"] for r in db.read_tx(lambda tx: list(tx.run(
        "MATCH (:Author {id: $id})-[:AUTHORED]->(p:Paper) RETURN p.title AS t", id=author)))}


def test_geiger_shows_no_banner_a_merged_name_does(sample_db: Graph) -> None:
    geiger = clusters(sample_db, "name:geiger_m")
    assert not geiger.several_people and geiger.message is None
    cut = {r["t"] for r in sample_db.read_tx(lambda tx: list(tx.run(
        "MATCH (:Author {id: 'name:geiger_m'})-[:AUTHORED]->(p:Paper) WHERE NOT p.authors_complete "
        "RETURN p.title AS t")))}
    assert len(cut) >= 5, "the sample's cut lists (the case of this test)"
    # Every work is somewhere: in a cluster, or unplaced because only cut lists hold it.
    listed = {w.title for c in geiger.clusters for w in c.works} | {w.title for w in geiger.unplaced}
    assert listed == _titles(sample_db, "name:geiger_m")
    assert {w.title for w in geiger.unplaced} <= cut

    liu = clusters(sample_db, "name:liu_x")
    assert liu.several_people and liu.message
    groups = [{str(w.title) for w in c.works} for c in liu.clusters]
    assert len(groups) == 2
    astro = {t for t in _titles(sample_db, "name:liu_x") if "VLBI" in t or "IDV" in t}
    assert astro in groups and any("charmed baryons" in fold(t) for g in groups if g != astro for t in g)
