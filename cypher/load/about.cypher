// ABOUT edges of one batch; the score kept is the highest any source gave. A paper whose edge is new or
// scores higher is marked :StaleMetrics (its top topics feed the metrics pass).
// Parameters: $rows [{paper, topic, score}].
// Columns: none.
UNWIND $rows AS row
MATCH (p:Paper {id: row.paper})
MATCH (t:Topic {id: row.topic})
MERGE (p)-[r:ABOUT]->(t)
FOREACH (_ IN CASE WHEN r.score IS NULL OR row.score > r.score THEN [1] ELSE [] END | SET p:StaleMetrics)
SET r.score = CASE WHEN r.score IS NULL OR row.score > r.score THEN row.score ELSE r.score END
