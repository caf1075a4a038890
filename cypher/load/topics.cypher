// Topic nodes of one batch (every level of the hierarchy the records give). A topic whose scheme or level is
// new or changes is marked :StaleMetrics (the metrics pass reads papers' topics by scheme and level).
// Parameters: $rows [{id, name, scheme, level}].
// Columns: none.
UNWIND $rows AS row
MERGE (t:Topic {id: row.id})
FOREACH (_ IN CASE WHEN t.scheme IS NULL OR t.scheme <> row.scheme OR coalesce(t.level, '') <> coalesce(row.level, '')
  THEN [1] ELSE [] END | SET t:StaleMetrics)
SET t.name = row.name, t.scheme = row.scheme, t.level = row.level
