// PART_OF edges between topics (category -> field; topic -> subfield -> field -> domain). The child of a new
// edge is marked :StaleMetrics (a topic's subfield feeds the metrics pass).
// Parameters: $rows [{child, parent}] (Topic ids, both written by load/topics first).
// Columns: none.
UNWIND $rows AS row
MATCH (c:Topic {id: row.child})
MATCH (p:Topic {id: row.parent})
MERGE (c)-[:PART_OF]->(p)
  ON CREATE SET c:StaleMetrics
