// Where a merged-away author id leads now: the end of its MERGED_INTO chain (merges may chain).
// Parameters: $id (Author id).
// Columns: survivor (no row when $id is unknown or not merged away).
MATCH (:Author {id: $id})-[:MERGED_INTO*1..50]->(s:Author)
WHERE NOT (s)-[:MERGED_INTO]->()
RETURN s.id AS survivor
