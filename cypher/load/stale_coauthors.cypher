// Ids of up to $limit authors whose COAUTHOR pairs must be recomputed in full.
// Parameters: $limit.
// Columns: id.
MATCH (a:Author:StaleCoauthors)
USING SCAN a:StaleCoauthors
RETURN a.id AS id
LIMIT $limit
