// Names of authors by id (labels for the path pickers and the path drawing).
// Parameters: $ids (Author ids).
// Columns: id, name, works_count.
UNWIND $ids AS id
MATCH (a:Author {id: id})
RETURN a.id AS id, a.name AS name, a.works_count AS works_count
