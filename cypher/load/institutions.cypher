// Institutions of one batch: MERGE on id; a given value replaces, null keeps what is there.
// Parameters: $rows [{id, name, ror, country, type}].
// Columns: none.
UNWIND $rows AS row
MERGE (i:Institution {id: row.id})
SET i.name = coalesce(row.name, i.name),
    i.ror = coalesce(row.ror, i.ror),
    i.country = coalesce(row.country, i.country),
    i.type = coalesce(row.type, i.type)
