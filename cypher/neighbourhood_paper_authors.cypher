// Each paper's authors in byline order: the first $limit and how many there are in the graph.
// Parameters: $ids (Paper ids), $limit (authors per paper).
// Columns: from (Paper id), total (authors), items (list of {node, weight = 1, position}).
// The total is a degree count (no expansion); only the top $limit are sorted out and projected.
UNWIND $ids AS from
MATCH (p:Paper {id: from})
CALL (p) {
  MATCH (a:Author)-[r:AUTHORED]->(p)
  WITH a, r ORDER BY coalesce(r.position, 1000000), a.id LIMIT $limit
  RETURN collect({weight: 1, position: r.position, node: a {.id, eid: elementId(a), .name, .orcid, .works_count, .cited_by_count, .h_index}}) AS items
}
RETURN from, COUNT { (p)<-[:AUTHORED]-() } AS total, items
