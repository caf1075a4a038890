// The stored relationships among a set of nodes (the edges of a graph view), given the node ids per label.
// Parameters: $authors, $papers, $topics, $institutions (lists of element ids, from the queries that found
// the nodes in the same transaction: matching them needs no property reads, which matters for hubs).
// Columns: edges (one list of [source, type, target, weight]; weight = joint works for COAUTHOR, works for
// AFFILIATED_WITH, score for ABOUT, else 1). One row, so a few thousand edges cost one record.
// Co-authorships come first, then authorships, affiliations, topics, topic hierarchy, citations:
// a view that cannot take them all keeps the first.
// Each relationship type is followed from the side whose degree is small (a paper's authors and topics,
// an author's affiliations, a topic's parent), never from a hub topic or institution. The far ends are tested
// against lists of nodes, not of element ids: no id is built per relationship read (hubs: thousands).
CALL () { UNWIND $authors AS e MATCH (n) WHERE elementId(n) = e RETURN collect(n) AS authors }
CALL () { UNWIND $papers AS e MATCH (n) WHERE elementId(n) = e RETURN collect(n) AS papers }
CALL () { UNWIND $topics AS e MATCH (n) WHERE elementId(n) = e RETURN collect(n) AS topics }
CALL () { UNWIND $institutions AS e MATCH (n) WHERE elementId(n) = e RETURN collect(n) AS institutions }
CALL (authors, papers, topics, institutions) {
  UNWIND authors AS a
  MATCH (a)-[r:COAUTHOR]->(b) WHERE b IN authors
  RETURN a.id AS source, 'COAUTHOR' AS type, b.id AS target, coalesce(r.works, 1) AS weight
  UNION ALL
  UNWIND papers AS p
  MATCH (a)-[:AUTHORED]->(p) WHERE a IN authors
  RETURN a.id AS source, 'AUTHORED' AS type, p.id AS target, 1 AS weight
  UNION ALL
  UNWIND authors AS a
  MATCH (a)-[r:AFFILIATED_WITH]->(i) WHERE i IN institutions
  RETURN a.id AS source, 'AFFILIATED_WITH' AS type, i.id AS target, coalesce(r.works, 1) AS weight
  UNION ALL
  UNWIND papers AS p
  MATCH (p)-[r:ABOUT]->(t) WHERE t IN topics
  RETURN p.id AS source, 'ABOUT' AS type, t.id AS target, coalesce(r.score, 1) AS weight
  UNION ALL
  UNWIND topics AS t
  MATCH (t)-[:PART_OF]->(u) WHERE u IN topics
  RETURN t.id AS source, 'PART_OF' AS type, u.id AS target, 1 AS weight
  UNION ALL
  UNWIND papers AS p
  MATCH (p)-[:CITES]->(q) WHERE q IN papers
  RETURN p.id AS source, 'CITES' AS type, q.id AS target, 1 AS weight
}
RETURN collect([source, type, target, weight]) AS edges
