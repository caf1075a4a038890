// The papers about each topic, most cited first, then most recent: the top $limit and the count.
// Parameters: $ids (Topic ids), $limit (papers per topic).
// Columns: from (Topic id), total (papers), items (list of {node, weight = score}).
// The total is a degree count (no expansion); only the top $limit are sorted out and projected.
UNWIND $ids AS from
MATCH (t:Topic {id: from})
CALL (t) {
  MATCH (p:Paper)-[r:ABOUT]->(t)
  WITH p, r ORDER BY coalesce(p.cited_by_count, 0) DESC, coalesce(p.year, 0) DESC, p.id LIMIT $limit
  RETURN collect({weight: coalesce(r.score, 1), node: p {.id, eid: elementId(p), .title, .year, .date, .doi, .arxiv_id, .venue, .cited_by_count, .categories, .has_code, .code_url, .type, .author_count, .authors_complete}}) AS items
}
RETURN from, COUNT { (t)<-[:ABOUT]-() } AS total, items
