// CITES edges of one batch. A cited arXiv paper not loaded yet becomes a stub Paper (id and arxiv_id
// only, no title) that a later load of that paper fills in. The cited paper is marked :Stale; a new stub and
// the citing paper of a new edge are marked :StaleMetrics (the metrics pass runs).
// Parameters: $rows [{source, target, arxiv_id}] (arxiv_id is null when the target exists).
// Columns: none.
UNWIND $rows AS row
MATCH (s:Paper {id: row.source})
MERGE (t:Paper {id: row.target})
  ON CREATE SET t.arxiv_id = row.arxiv_id, t.sources = [], t.categories = [], t.cited_by_count = 0, t:StaleMetrics
MERGE (s)-[:CITES]->(t)
  ON CREATE SET s:StaleMetrics
SET t:Stale
