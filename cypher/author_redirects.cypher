// Where each of several merged-away author ids leads now: the end of its MERGED_INTO chain.
// Parameters: $ids (list of Author ids).
// Columns: id, survivor (one row per id that is merged away; ids not merged away or unknown give no row).
UNWIND $ids AS id
MATCH (:Author {id: id})-[:MERGED_INTO*1..50]->(s:Author)
WHERE NOT (s)-[:MERGED_INTO]->()
RETURN id, s.id AS survivor
