// ABOUT edges of one batch; the score kept is the highest any source gave.
// Parameters: $rows [{paper, topic, score}].
// Columns: none.
UNWIND $rows AS row
MATCH (p:Paper {id: row.paper})
MATCH (t:Topic {id: row.topic})
MERGE (p)-[r:ABOUT]->(t)
SET r.score = CASE WHEN r.score IS NULL OR row.score > r.score THEN row.score ELSE r.score END
