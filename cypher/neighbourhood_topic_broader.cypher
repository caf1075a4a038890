// The broader topics each topic is PART_OF (category -> field, topic -> subfield -> field -> domain).
// Parameters: $ids (Topic ids), $limit (topics per topic).
// Columns: from (Topic id), total (broader topics), items (list of {node, weight = 1}).
// The total is a degree count (no expansion); only the top $limit are sorted out and projected.
UNWIND $ids AS from
MATCH (t:Topic {id: from})
CALL (t) {
  MATCH (t)-[:PART_OF]->(u:Topic)
  WITH u ORDER BY u.id LIMIT $limit
  RETURN collect({weight: 1, node: u {.id, eid: elementId(u), .name, .scheme, .level}}) AS items
}
RETURN from, COUNT { (t)-[:PART_OF]->() } AS total, items
