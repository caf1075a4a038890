// The institutions each author is affiliated with, most works there first, then most recent: top $limit and count.
// Parameters: $ids (Author ids), $limit (institutions per author).
// Columns: from (Author id), total (institutions), items (list of {node, weight = works, first_year, last_year}).
// The total is a degree count (no expansion); only the top $limit are sorted out and projected.
UNWIND $ids AS from
MATCH (a:Author {id: from})
CALL (a) {
  MATCH (a)-[r:AFFILIATED_WITH]->(i:Institution)
  WITH i, r ORDER BY coalesce(r.works, 0) DESC, coalesce(r.last_year, 0) DESC, i.id LIMIT $limit
  RETURN collect({weight: coalesce(r.works, 1), first_year: r.first_year, last_year: r.last_year, node: i {.id, eid: elementId(i), .name, .ror, .country, .type}}) AS items
}
RETURN from, COUNT { (a)-[:AFFILIATED_WITH]->() } AS total, items
