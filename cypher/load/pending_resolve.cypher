// Pending OpenAlex references to the works of this batch become CITES; the placeholders go.
// Parameters: $rows [{id: Paper id, openalex_id}].
// Columns: none. The cited paper is marked :Stale (its cited_by_count changes), the citing paper of a new
// edge :StaleMetrics (the metrics pass runs).
UNWIND $rows AS row
MATCH (w:PendingCitation {id: row.openalex_id})
MATCH (t:Paper {id: row.id})
CALL (w, t) {
  MATCH (s:Paper)-[:CITES_PENDING]->(w)
  WHERE s <> t
  MERGE (s)-[:CITES]->(t)
    ON CREATE SET s:StaleMetrics
}
SET t:Stale
DETACH DELETE w
