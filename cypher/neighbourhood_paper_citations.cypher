// The papers that cite each paper, most cited first, then most recent: the top $limit and the count.
// Parameters: $ids (Paper ids), $limit (citing papers per paper).
// Columns: from (Paper id), total (citing papers), items (list of {node, weight = 1}).
// The total is a degree count (no expansion); only the top $limit are sorted out and projected.
UNWIND $ids AS from
MATCH (p:Paper {id: from})
CALL (p) {
  MATCH (q:Paper)-[:CITES]->(p)
  WITH q ORDER BY coalesce(q.cited_by_count, 0) DESC, coalesce(q.year, 0) DESC, q.id LIMIT $limit
  RETURN collect({weight: 1, node: q {.id, eid: elementId(q), .title, .year, .date, .doi, .arxiv_id, .venue, .cited_by_count, .categories, .has_code, .code_url, .type, .author_count, .authors_complete}}) AS items
}
RETURN from, COUNT { (p)<-[:CITES]-() } AS total, items
