// The narrower topics that are PART_OF each topic, those with most papers first: top $limit and the count.
// Parameters: $ids (Topic ids), $limit (topics per topic).
// Columns: from (Topic id), total (narrower topics), items (list of {node, weight = 1}).
// The total is a degree count (no expansion); only the top $limit are sorted out and projected.
UNWIND $ids AS from
MATCH (t:Topic {id: from})
CALL (t) {
  MATCH (u:Topic)-[:PART_OF]->(t)
  WITH u ORDER BY COUNT { (u)<-[:ABOUT]-() } DESC, u.id LIMIT $limit
  RETURN collect({weight: 1, node: u {.id, eid: elementId(u), .name, .scheme, .level}}) AS items
}
RETURN from, COUNT { (t)<-[:PART_OF]-() } AS total, items
