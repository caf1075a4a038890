// The authors affiliated with each institution, most works there first, then most recent: top $limit and count.
// Parameters: $ids (Institution ids), $limit (authors per institution).
// Columns: from (Institution id), total (authors), items (list of {node, weight = works, first_year, last_year}).
// The total is a degree count (no expansion); only the top $limit are sorted out and projected.
UNWIND $ids AS from
MATCH (i:Institution {id: from})
CALL (i) {
  MATCH (a:Author)-[r:AFFILIATED_WITH]->(i)
  WITH a, r ORDER BY coalesce(r.works, 0) DESC, coalesce(r.last_year, 0) DESC, a.id LIMIT $limit
  RETURN collect({weight: coalesce(r.works, 1), first_year: r.first_year, last_year: r.last_year, node: a {.id, eid: elementId(a), .name, .orcid, .works_count, .cited_by_count, .h_index}}) AS items
}
RETURN from, COUNT { (i)<-[:AFFILIATED_WITH]-() } AS total, items
