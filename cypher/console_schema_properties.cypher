// The console's schema panel: the property keys of each label and relationship type, with how many of
// the first $sample nodes (relationships) of that label (type) carry each key.
// Parameters: $sample (integer, how many of each to look at).
// Columns: kind ('label' or 'type'), name, key, count.
CALL db.labels() YIELD label
CALL (label) {
  MATCH (n:$(label))
  WITH n LIMIT $sample
  UNWIND keys(n) AS key
  RETURN key, count(*) AS count
}
RETURN 'label' AS kind, label AS name, key, count
UNION ALL
CALL db.relationshipTypes() YIELD relationshipType
CALL (relationshipType) {
  MATCH ()-[r:$(relationshipType)]->()
  WITH r LIMIT $sample
  UNWIND keys(r) AS key
  RETURN key, count(*) AS count
}
RETURN 'type' AS kind, relationshipType AS name, key, count
