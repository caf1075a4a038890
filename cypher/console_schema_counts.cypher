// The console's schema panel: how many nodes carry each label and how many relationships each type has.
// Read from the count store (db.stats.retrieve), so it costs nothing on a big graph.
// Parameters: none.
// Columns: kind ('label' or 'type'), name, count.
CALL db.stats.retrieve('GRAPH COUNTS') YIELD data
CALL (data) {
  UNWIND data.nodes AS entry
  WITH entry WHERE entry.label IS NOT NULL
  RETURN 'label' AS kind, entry.label AS name, entry.count AS count
  UNION ALL
  UNWIND data.relationships AS entry
  WITH entry WHERE entry.relationshipType IS NOT NULL AND entry.startLabel IS NULL AND entry.endLabel IS NULL
  RETURN 'type' AS kind, entry.relationshipType AS name, entry.count AS count
}
RETURN kind, name, count
ORDER BY kind, count DESC, name
