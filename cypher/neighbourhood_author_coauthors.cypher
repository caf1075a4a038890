// Each author's co-authors, most joint works first, then most recent collaboration: the top $limit and the count.
// COAUTHOR is stored once per pair (smaller id -> larger id), so it is matched undirected.
// Parameters: $ids (Author ids), $limit (co-authors per author).
// Columns: from (Author id), total (co-authors), items (list of {node, weight = joint works, first_year, last_year}).
// The total is a degree count.
UNWIND $ids AS from
MATCH (a:Author {id: from})
CALL (a) {
  // The cut (the $limit-th strongest joint works and last year) from relationship properties alone (hubs have
  // thousands of co-authors), then ids read only for the co-authors at or above it; ties go by id.
  CALL (a) {
    MATCH (a)-[c:COAUTHOR]-()
    WITH c.works AS works, coalesce(c.last_year, 0) AS last ORDER BY works DESC, last DESC LIMIT $limit
    RETURN last(collect([works, last])) AS cut
  }
  MATCH (a)-[c:COAUTHOR]-(b:Author)
  WHERE c.works > cut[0] OR (c.works = cut[0] AND coalesce(c.last_year, 0) >= cut[1])
  WITH b, c ORDER BY c.works DESC, coalesce(c.last_year, 0) DESC, b.id LIMIT $limit
  RETURN collect({weight: c.works, first_year: c.first_year, last_year: c.last_year,
                  node: b {.id, eid: elementId(b), .name, .orcid, .works_count, .cited_by_count, .h_index}}) AS items
}
RETURN from, COUNT { (a)-[:COAUTHOR]-() } AS total, items
