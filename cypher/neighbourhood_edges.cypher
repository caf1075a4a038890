// The stored relationships among a set of nodes (the edges of a graph view), given the node ids per label.
// Parameters: $authors, $papers, $topics, $institutions (lists of element ids, from the queries that found
// the nodes in the same transaction: matching them needs no property reads, which matters for hubs).
// Columns: edges (one list of [source, type, target, weight]; weight = joint works for COAUTHOR, works for
// AFFILIATED_WITH, score for ABOUT, else 1). One row, so a few thousand edges cost one record.
// Co-authorships come first, then authorships, affiliations, topics, topic hierarchy, citations:
// a view that cannot take them all keeps the first.
// Each relationship type is followed from the side whose degree is small (a paper's authors and topics,
// an author's affiliations, a topic's parent), never from a hub topic or institution.
CALL () {
  UNWIND $authors AS ae
  MATCH (a) WHERE elementId(a) = ae
  MATCH (a)-[r:COAUTHOR]->(b:Author) WHERE elementId(b) IN $authors
  RETURN a.id AS source, 'COAUTHOR' AS type, b.id AS target, coalesce(r.works, 1) AS weight
  UNION ALL
  UNWIND $papers AS pe
  MATCH (p) WHERE elementId(p) = pe
  MATCH (a)-[:AUTHORED]->(p) WHERE elementId(a) IN $authors
  RETURN a.id AS source, 'AUTHORED' AS type, p.id AS target, 1 AS weight
  UNION ALL
  UNWIND $authors AS ae
  MATCH (a) WHERE elementId(a) = ae
  MATCH (a)-[r:AFFILIATED_WITH]->(i:Institution) WHERE elementId(i) IN $institutions
  RETURN a.id AS source, 'AFFILIATED_WITH' AS type, i.id AS target, coalesce(r.works, 1) AS weight
  UNION ALL
  UNWIND $papers AS pe
  MATCH (p) WHERE elementId(p) = pe
  MATCH (p)-[r:ABOUT]->(t:Topic) WHERE elementId(t) IN $topics
  RETURN p.id AS source, 'ABOUT' AS type, t.id AS target, coalesce(r.score, 1) AS weight
  UNION ALL
  UNWIND $topics AS te
  MATCH (t) WHERE elementId(t) = te
  MATCH (t)-[:PART_OF]->(u:Topic) WHERE elementId(u) IN $topics
  RETURN t.id AS source, 'PART_OF' AS type, u.id AS target, 1 AS weight
  UNION ALL
  UNWIND $papers AS pe
  MATCH (p) WHERE elementId(p) = pe
  MATCH (p)-[:CITES]->(q:Paper) WHERE elementId(q) IN $papers
  RETURN p.id AS source, 'CITES' AS type, q.id AS target, 1 AS weight
}
RETURN collect([source, type, target, weight]) AS edges
