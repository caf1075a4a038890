// Each author's co-authors, most joint works first, then most recent collaboration: the top $limit and the count.
// COAUTHOR is stored once per pair (smaller id -> larger id), so it is matched undirected.
// Parameters: $ids (Author ids), $limit (co-authors per author).
// Columns: from (Author id), total (co-authors), items (list of {node, weight = joint works, first_year, last_year}).
// The total is a degree count.
UNWIND $ids AS from
MATCH (a:Author {id: from})
CALL (a) {
  MATCH (a)-[c:COAUTHOR]-(b)
  // One pass reading relationship properties only (hubs have thousands of co-authors); the few kept are then
  // ordered fully. Ties at the cut (same joint works and last year): the store order decides, stable for a graph.
  WITH b, c ORDER BY c.works DESC, coalesce(c.last_year, 0) DESC, elementId(b) LIMIT $limit
  WITH b, c ORDER BY c.works DESC, coalesce(c.last_year, 0) DESC, b.id
  RETURN collect({weight: c.works, first_year: c.first_year, last_year: c.last_year,
                  node: b {.id, eid: elementId(b), .name, .orcid, .works_count, .cited_by_count, .h_index}}) AS items
}
RETURN from, COUNT { (a)-[:COAUTHOR]-() } AS total, items
