// Each paper's topics, highest score first: the top $limit and how many there are.
// Parameters: $ids (Paper ids), $limit (topics per paper).
// Columns: from (Paper id), total (topics), items (list of {node, weight = score}).
// The total is a degree count (no expansion); only the top $limit are sorted out and projected.
UNWIND $ids AS from
MATCH (p:Paper {id: from})
CALL (p) {
  MATCH (p)-[r:ABOUT]->(t:Topic)
  WITH t, r ORDER BY coalesce(r.score, 0) DESC, t.id LIMIT $limit
  RETURN collect({weight: coalesce(r.score, 1), node: t {.id, eid: elementId(t), .name, .scheme, .level}}) AS items
}
RETURN from, COUNT { (p)-[:ABOUT]->() } AS total, items
