// Topic nodes of one batch (every level of the hierarchy the records give).
// Parameters: $rows [{id, name, scheme, level}].
// Columns: none.
UNWIND $rows AS row
MERGE (t:Topic {id: row.id})
SET t.name = row.name, t.scheme = row.scheme, t.level = row.level
