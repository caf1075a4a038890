// The papers each author wrote, most cited first, then most recent: the top $limit and how many there are.
// Parameters: $ids (Author ids), $limit (how many papers per author to return).
// Columns: from (Author id), total (papers), items (list of {node, weight}).
// The total is a degree count (no expansion); only the top $limit are sorted out and projected.
UNWIND $ids AS from
MATCH (a:Author {id: from})
CALL (a) {
  MATCH (a)-[:AUTHORED]->(p:Paper)
  WITH p ORDER BY coalesce(p.cited_by_count, 0) DESC, coalesce(p.year, 0) DESC, p.id LIMIT $limit
  RETURN collect({weight: 1, node: p {.id, eid: elementId(p), .title, .year, .date, .doi, .arxiv_id, .venue, .cited_by_count, .categories, .has_code, .code_url, .type, .author_count, .authors_complete}}) AS items
}
RETURN from, COUNT { (a)-[:AUTHORED]->() } AS total, items
