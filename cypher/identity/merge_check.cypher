// Whether author $from may be merged into author $into: both exist, where each already leads (the end of its
// MERGED_INTO chain, merges may chain) and the papers $from shares with that survivor (a shared paper refuses
// the merge: two authors of one paper are never one person).
// Parameters: $from, $into (Author ids).
// Columns: from_exists, into_exists, from_survivor (null when $from is not merged away), into_survivor ($into
//   itself when it is not merged away), shared (ids of the papers both write, at most 10), shared_count.
OPTIONAL MATCH (f:Author {id: $from})
OPTIONAL MATCH (i:Author {id: $into})
OPTIONAL MATCH (f)-[:MERGED_INTO*1..50]->(fs:Author) WHERE NOT (fs)-[:MERGED_INTO]->()
OPTIONAL MATCH (i)-[:MERGED_INTO*1..50]->(is:Author) WHERE NOT (is)-[:MERGED_INTO]->()
WITH f, i, fs, coalesce(is, i) AS target
WITH f, i, fs, target,
     CASE WHEN f IS NULL OR target IS NULL THEN []
       ELSE [(f)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(target) | p.id] END AS shared
RETURN f IS NOT NULL AS from_exists, i IS NOT NULL AS into_exists, fs.id AS from_survivor,
       target.id AS into_survivor, shared[0..10] AS shared, size(shared) AS shared_count
