// OpenAlex references to works not in the graph yet: kept as (:Paper)-[:CITES_PENDING]->(:PendingCitation {id})
// until a load brings that work (load/pending_resolve turns them into CITES).
// Parameters: $rows [{source: Paper id, work: OpenAlex work id such as 'W2741809807'}].
// Columns: none.
UNWIND $rows AS row
MATCH (s:Paper {id: row.source})
MERGE (w:PendingCitation {id: row.work})
MERGE (s)-[:CITES_PENDING]->(w)
