// Ids of up to $limit authors whose derived values must be recomputed.
// Parameters: $limit.
// Columns: id.
MATCH (a:Author:Stale)
RETURN a.id AS id
LIMIT $limit
